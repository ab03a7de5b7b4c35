// Rocket.Chat incoming webhook (Slack-style attachments; the sender name is `alias`).
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { slackPayload } from '../slack/render.js';

export const rocketchat = defineChannel({
  kind: 'rocketchat',
  label: 'Rocket.Chat',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'ROCKETCHAT_ENABLED', default: true },
  async send(config, alert, env) {
    await deliver(env, 'POST', config.url, { json: slackPayload(alert, 'alias') });
  },
});
