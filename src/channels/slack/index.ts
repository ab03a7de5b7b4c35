// Slack incoming webhook.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import type { OutboundResponse } from '../http.js';
import { deliver, shortBody } from '../http.js';
import { slackPayload } from './render.js';

/** 404 means the webhook was removed; 400 `invalid_token` that its owner was deactivated. */
function explainSlackFailure(response: OutboundResponse) {
  const remoteMessage = shortBody(response);
  const permanent = response.status === 404 || (response.status === 400 && remoteMessage === 'invalid_token');
  return { remoteMessage, permanent };
}

export const slack = defineChannel({
  kind: 'slack',
  label: 'Slack',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'SLACK_ENABLED', default: true },
  async send(config, alert, env) {
    await deliver(env, 'POST', config.url, { json: slackPayload(alert) }, explainSlackFailure);
  },
});
