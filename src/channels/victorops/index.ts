// Splunk On-Call (VictorOps) REST endpoint: CRITICAL on down, RECOVERY on up, entity = unique key.
import { defineJsonWebhookChannel } from '../json-webhook.js';
import { plainMessage } from '../markup.js';
import { displayName } from '../text.js';

export const victorops = defineJsonWebhookChannel({
  kind: 'victorops',
  label: 'Splunk On-Call',
  setting: 'VICTOROPS_ENABLED',
  payload: (alert) => ({
    entity_id: alert.check.uniqueKey,
    message_type: alert.event.status === 'down' ? 'CRITICAL' : 'RECOVERY',
    entity_display_name: displayName(alert),
    state_message: plainMessage(alert),
    monitoring_tool: alert.site.name,
  }),
  // 404: the routing key or integration no longer exists.
  explain: (r) => ({ permanent: r.status === 404 }),
});
