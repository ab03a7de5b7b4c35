// Splunk On-Call (VictorOps) REST endpoint: CRITICAL on down, RECOVERY on up, entity = unique key.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { plainMessage } from '../markup.js';
import { displayName } from '../text.js';

export const victorops = defineChannel({
  kind: 'victorops',
  label: 'Splunk On-Call',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'VICTOROPS_ENABLED', default: true },
  async send(config, alert, env) {
    const payload = {
      entity_id: alert.check.uniqueKey,
      message_type: alert.event.status === 'down' ? 'CRITICAL' : 'RECOVERY',
      entity_display_name: displayName(alert),
      state_message: plainMessage(alert),
      monitoring_tool: alert.site.name,
    };
    // 404: the routing key or integration no longer exists.
    await deliver(env, 'POST', config.url, { json: payload }, (r) => ({ permanent: r.status === 404 }));
  },
});
