// Google Chat incoming webhook.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { googleChatPayload } from './render.js';

export const googlechat = defineChannel({
  kind: 'googlechat',
  label: 'Google Chat',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'GOOGLECHAT_ENABLED', default: true },
  async send(config, alert, env) {
    await deliver(env, 'POST', config.url, { json: googleChatPayload(alert) }, (r) => ({
      remoteMessage: jsonText(r, 'error', 'message'),
      // 404: the space or the webhook is gone.
      permanent: r.status === 404,
    }));
  },
});
