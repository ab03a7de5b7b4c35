// PagerTree incoming webhook: trigger and resolve an incident keyed by the check's unique key.
import { defineJsonWebhookChannel } from '../json-webhook.js';
import { plainMessage } from '../markup.js';
import { headline, tagList } from '../text.js';

export const pagertree = defineJsonWebhookChannel({
  kind: 'pagertree',
  label: 'PagerTree',
  setting: 'PAGERTREE_ENABLED',
  payload: (alert) => ({
    incident_key: alert.check.uniqueKey,
    event_type: alert.event.status === 'down' ? 'trigger' : 'resolve',
    title: headline(alert),
    description: plainMessage(alert),
    client: alert.site.name,
    client_url: alert.check.detailsUrl,
    tags: tagList(alert).join(','),
  }),
});
