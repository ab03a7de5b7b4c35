// The Twilio REST client shared by the SMS, WhatsApp and phone call integrations.
import type { OutboundResponse } from './http.js';
import { basicAuth, deliver, jsonText, parseJsonBody } from './http.js';
import { requireSettings, settingBaseUrl, settingText } from './settings.js';
import type { SendEnvironment } from './types.js';

/** Twilio's error code for a number it cannot send to. */
const INVALID_NUMBER = 21211;

export interface TwilioAccount {
  account: string;
  auth: string;
  from: string;
  messagingServiceSid: string;
}

/** TWILIO_ACCOUNT and TWILIO_AUTH plus `required` settings, or "<label> notifications are not enabled". */
export function twilioAccount(env: SendEnvironment, label: string, required: readonly string[] = []): TwilioAccount {
  const { TWILIO_ACCOUNT: account, TWILIO_AUTH: auth } = requireSettings(env.settings, ['TWILIO_ACCOUNT', 'TWILIO_AUTH'], label);
  requireSettings(env.settings, required, label);
  return {
    account,
    auth,
    from: settingText(env.settings, 'TWILIO_FROM'),
    messagingServiceSid: settingText(env.settings, 'TWILIO_MESSAGING_SERVICE_SID'),
  };
}

function explain(response: OutboundResponse) {
  const code = (parseJsonBody(response) as { code?: unknown } | undefined)?.code;
  if (response.status === 400 && code === INVALID_NUMBER) return { message: 'Invalid phone number', permanent: true };
  return { remoteMessage: jsonText(response, 'message') };
}

/** POSTs a form to the account's Messages or Calls resource. */
export async function twilioCreate(
  env: SendEnvironment,
  account: TwilioAccount,
  resource: 'Messages' | 'Calls',
  form: Record<string, string>,
): Promise<void> {
  const base = settingBaseUrl(env.settings, 'TWILIO_API_URL', 'https://api.twilio.com');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(account.account)}/${resource}.json`;
  await deliver(
    env,
    'POST',
    url,
    { headers: { authorization: basicAuth(account.account, account.auth) }, form, trusted: true },
    explain,
  );
}

/** The sender: the messaging service when one is configured, else the TWILIO_FROM number. */
export function twilioSender(account: TwilioAccount): Record<string, string> {
  return account.messagingServiceSid ? { MessagingServiceSid: account.messagingServiceSid } : { From: account.from };
}
