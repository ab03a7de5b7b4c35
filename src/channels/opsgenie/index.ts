// Opsgenie Alert API: create an alert on down (alias = the check's unique key) and close it by that
// alias on up.
import { z } from 'zod';
import { requiredText } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { plainMessage } from '../markup.js';
import { settingBaseUrl } from '../settings.js';
import { checkFacts, headline, tagList } from '../text.js';
import type { AlertContext } from '../types.js';

export const opsgenieConfig = z
  .object({
    key: requiredText(100),
    region: z.enum(['us', 'eu']).default('us'),
  })
  .strict();

function createPayload(alert: AlertContext) {
  const details: Record<string, string> = {};
  for (const fact of checkFacts(alert)) details[fact.label] = fact.value;
  details['Full details'] = alert.check.detailsUrl;
  return {
    alias: alert.check.uniqueKey,
    source: alert.site.name,
    // Opsgenie cuts messages at 130 characters.
    message: headline(alert).slice(0, 130),
    description: plainMessage(alert).slice(0, 15000),
    tags: tagList(alert),
    details,
  };
}

export const opsgenie = defineChannel({
  kind: 'opsgenie',
  label: 'Opsgenie',
  schema: opsgenieConfig,
  enabledBy: { setting: 'OPSGENIE_ENABLED', default: true },
  async send(config, alert, env) {
    const base =
      config.region === 'eu'
        ? settingBaseUrl(env.settings, 'OPSGENIE_EU_API_URL', 'https://api.eu.opsgenie.com')
        : settingBaseUrl(env.settings, 'OPSGENIE_API_URL', 'https://api.opsgenie.com');
    const down = alert.event.status === 'down';
    const url = down
      ? `${base}/v2/alerts`
      : `${base}/v2/alerts/${encodeURIComponent(alert.check.uniqueKey)}/close?identifierType=alias`;
    const payload = down ? createPayload(alert) : { source: alert.site.name, note: `${headline(alert)}.` };
    await deliver(
      env,
      'POST',
      url,
      { headers: { authorization: `GenieKey ${config.key}` }, json: payload, trusted: true },
      (r) => ({ remoteMessage: jsonText(r, 'message') }),
    );
  },
});
