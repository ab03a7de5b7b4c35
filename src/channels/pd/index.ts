// PagerDuty Events API v2: trigger an incident on down, resolve it on up; the check's unique key is
// the dedup key, so both events address the same incident.
import { z } from 'zod';
import { defineChannel } from '../define.js';
import type { OutboundResponse } from '../http.js';
import { deliver, jsonText, parseJsonBody } from '../http.js';
import { settingBaseUrl } from '../settings.js';
import { checkFacts, headline, lastPingBody, summarySentences, viewLabel } from '../text.js';
import type { AlertContext } from '../types.js';

const routingKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{32}$/, 'must be a 32-character integration (routing) key');

/** `{"routing_key": …}`; Healthchecks' `service_key` field and a bare key string are accepted too. */
export const pagerDutyConfig = z.preprocess(
  (raw) => {
    if (typeof raw === 'string') return { routing_key: raw };
    if (raw && typeof raw === 'object' && 'service_key' in raw && !('routing_key' in raw)) {
      const { service_key, ...rest } = raw as Record<string, unknown>;
      return { ...rest, routing_key: service_key };
    }
    return raw;
  },
  z.object({ routing_key: routingKey, account: z.string().max(100).optional() }).strict(),
);

function triggerPayload(alert: AlertContext) {
  const details: Record<string, string> = {};
  for (const fact of checkFacts(alert)) details[fact.label] = fact.value;
  const body = lastPingBody(alert);
  if (body !== null) details['Last ping body'] = body;
  return {
    summary: [`${headline(alert)}.`, ...summarySentences(alert)].join(' ').slice(0, 1024),
    source: alert.site.name,
    severity: 'critical',
    timestamp: new Date(alert.event.at).toISOString(),
    ...(alert.project.name ? { group: alert.project.name } : {}),
    ...(alert.event.reason ? { class: alert.event.reason } : {}),
    custom_details: details,
  };
}

/** 400 {"status": "invalid event", "message": "…", "errors": ["Invalid routing key"]} */
function explain(response: OutboundResponse) {
  const errors = (parseJsonBody(response) as { errors?: unknown } | undefined)?.errors;
  const list = Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string') : [];
  const remoteMessage = list.length > 0 ? list.join('; ') : jsonText(response, 'message');
  const permanent = response.status === 400 && list.some((e) => /routing key/i.test(e));
  return { remoteMessage, permanent };
}

export const pd = defineChannel({
  kind: 'pd',
  label: 'PagerDuty',
  schema: pagerDutyConfig,
  enabledBy: { setting: 'PD_ENABLED', default: true },
  async send(config, alert, env) {
    const base = settingBaseUrl(env.settings, 'PD_EVENTS_URL', 'https://events.pagerduty.com');
    const down = alert.event.status === 'down';
    const event = {
      routing_key: config.routing_key,
      event_action: down ? 'trigger' : 'resolve',
      dedup_key: alert.check.uniqueKey,
      ...(down
        ? {
            payload: triggerPayload(alert),
            client: alert.site.name,
            client_url: alert.check.detailsUrl,
            links: [{ href: alert.check.detailsUrl, text: viewLabel(alert) }],
          }
        : {}),
    };
    await deliver(env, 'POST', `${base}/v2/enqueue`, { json: event, trusted: true }, explain);
  },
});
