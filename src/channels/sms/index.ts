// SMS through Twilio's Messages API; each status can be switched off.
import { phoneConfig, toggledOff } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { shortText } from '../text.js';
import { TransportError } from '../types.js';
import { twilioAccount, twilioCreate, twilioSender } from '../twilio.js';

export const sms = defineChannel({
  kind: 'sms',
  label: 'SMS',
  schema: phoneConfig,
  isNoop: toggledOff,
  async send(config, alert, env) {
    const account = twilioAccount(env, 'SMS');
    if (!account.from && !account.messagingServiceSid) throw new TransportError('SMS notifications are not enabled');
    await twilioCreate(env, account, 'Messages', { To: config.value, ...twilioSender(account), Body: shortText(alert) });
  },
});
