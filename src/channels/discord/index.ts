// Discord webhook, through its Slack-compatible endpoint `<webhook url>/slack`.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { slackPayload } from '../slack/render.js';

export const discord = defineChannel({
  kind: 'discord',
  label: 'Discord',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'DISCORD_ENABLED', default: true },
  async send(config, alert, env) {
    const url = new URL(config.url);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/slack`;
    // 404: the webhook was deleted.
    await deliver(env, 'POST', url, { json: slackPayload(alert) }, (r) => ({ permanent: r.status === 404 }));
  },
});
