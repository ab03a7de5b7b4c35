// WhatsApp through Twilio's Messages API with approved Content templates (one for down, one for
// up); the template's variable 1 is the check's name.
import { phoneConfig, toggledOff } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { settingText } from '../settings.js';
import { displayName } from '../text.js';
import { twilioAccount, twilioCreate } from '../twilio.js';

export const whatsapp = defineChannel({
  kind: 'whatsapp',
  label: 'WhatsApp',
  schema: phoneConfig,
  enabledBy: { setting: 'TWILIO_USE_WHATSAPP', default: false },
  isNoop: toggledOff,
  async send(config, alert, env) {
    const account = twilioAccount(env, 'WhatsApp', ['TWILIO_FROM', 'WHATSAPP_DOWN_CONTENT_SID', 'WHATSAPP_UP_CONTENT_SID']);
    const template = alert.event.status === 'down' ? 'WHATSAPP_DOWN_CONTENT_SID' : 'WHATSAPP_UP_CONTENT_SID';
    await twilioCreate(env, account, 'Messages', {
      To: `whatsapp:${config.value}`,
      From: `whatsapp:${account.from}`,
      ...(account.messagingServiceSid ? { MessagingServiceSid: account.messagingServiceSid } : {}),
      ContentSid: settingText(env.settings, template),
      ContentVariables: JSON.stringify({ 1: displayName(alert) }),
    });
  },
});
