// PagerTree incoming webhook: trigger and resolve an incident keyed by the check's unique key.
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { plainMessage } from '../markup.js';
import { headline, tagList } from '../text.js';

export const pagertree = defineChannel({
  kind: 'pagertree',
  label: 'PagerTree',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'PAGERTREE_ENABLED', default: true },
  async send(config, alert, env) {
    const payload = {
      incident_key: alert.check.uniqueKey,
      event_type: alert.event.status === 'down' ? 'trigger' : 'resolve',
      title: headline(alert),
      description: plainMessage(alert),
      client: alert.site.name,
      client_url: alert.check.detailsUrl,
      tags: tagList(alert).join(','),
    };
    await deliver(env, 'POST', config.url, { json: payload });
  },
});
