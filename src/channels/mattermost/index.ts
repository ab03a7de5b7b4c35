// Mattermost incoming webhook (Slack-compatible payload).
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, shortBody } from '../http.js';
import { slackPayload } from '../slack/render.js';

export const mattermost = defineChannel({
  kind: 'mattermost',
  label: 'Mattermost',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'MATTERMOST_ENABLED', default: true },
  async send(config, alert, env) {
    await deliver(env, 'POST', config.url, { json: slackPayload(alert) }, (response) => ({
      remoteMessage: shortBody(response),
    }));
  },
});
