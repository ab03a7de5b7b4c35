// A phone call through Twilio's Calls API that reads the alert out; for down alerts only.
import { z } from 'zod';
import { phoneNumber, withShorthand } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { escapeHtml } from '../markup.js';
import { displayName, reasonSentence } from '../text.js';
import type { AlertContext } from '../types.js';
import { twilioAccount, twilioCreate } from '../twilio.js';

export const callConfig = withShorthand('value', { value: phoneNumber });

/** The TwiML Twilio speaks when the call is answered. */
export function callTwiml(alert: AlertContext): string {
  const words = [
    `Hello! This is ${alert.site.name}.`,
    `The check ${displayName(alert)} is down.`,
    reasonSentence(alert),
    'Please check your dashboard for details.',
  ].filter((s): s is string => s !== null);
  return `<Response><Say>${escapeHtml(words.join(' '))}</Say></Response>`;
}

export const call = defineChannel({
  kind: 'call',
  label: 'Phone Call',
  schema: callConfig,
  isNoop: (_config: z.output<typeof callConfig>, status) => status !== 'down',
  async send(config, alert, env) {
    const account = twilioAccount(env, 'Phone call', ['TWILIO_FROM']);
    await twilioCreate(env, account, 'Calls', { To: config.value, From: account.from, Twiml: callTwiml(alert) });
  },
});
