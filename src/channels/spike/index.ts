// Spike.sh incoming webhook.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { plainMessage } from '../markup.js';
import { headline } from '../text.js';

export const spike = defineChannel({
  kind: 'spike',
  label: 'Spike',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'SPIKE_ENABLED', default: true },
  async send(config, alert, env) {
    const payload = {
      check_id: alert.check.uniqueKey,
      title: headline(alert),
      message: plainMessage(alert),
      status: alert.event.status,
    };
    await deliver(env, 'POST', config.url, { json: payload });
  },
});
