// What an integration is told about one notification: the check, its project, the event and the
// last ping before it (spec §6: message texts, webhook placeholders).
import type { AlertContext, AlertReason } from '../channels/types.js';
import { uniqueKey } from '../checks/unique-key.js';
import type { CheckView } from '../store/checks.js';
import type { NotificationRow } from '../store/schema.js';
import type { AlertSubject, LastPing } from '../store/notifications.js';

export interface ContextSources {
  site: { name: string; root: string };
  /** The check as the v3 API shows it to a read-write key (webhooks' `$JSON`). */
  renderCheckJson(check: CheckView, channelCodes: string[]): Record<string, unknown>;
}

/** The parts of a notification a message needs. */
export type AlertEvent = Pick<NotificationRow, 'code' | 'status' | 'reason' | 'event_at' | 'downtime'>;

export function checkDetailsUrl(siteRoot: string, checkCode: string): string {
  return `${siteRoot}/checks/${checkCode}/details/`;
}

function lastPingOf(ping: LastPing | undefined): AlertContext['lastPing'] {
  if (!ping) return null;
  return {
    kind: ping.kind ?? null,
    body: ping.body === null ? null : Buffer.from(ping.body).toString('utf8'),
    exitStatus: ping.exit_status,
  };
}

export function buildAlertContext(
  sources: ContextSources,
  subject: AlertSubject,
  event: AlertEvent,
  lastPing: LastPing | undefined,
): AlertContext {
  const { check } = subject;
  let json: Record<string, unknown> | undefined;
  let key: string | undefined;
  return {
    site: sources.site,
    project: subject.project,
    check: {
      code: check.code,
      name: check.name,
      slug: check.slug,
      tags: check.tags,
      description: check.description,
      kind: check.kind,
      timeout: check.timeout,
      grace: check.grace,
      schedule: check.schedule,
      tz: check.tz,
      nPings: check.n_pings,
      lastPing: check.last_ping,
      // These two cost more than the rest of the context and most messages use neither: both are
      // made on first use.
      get uniqueKey() {
        return (key ??= uniqueKey(check.code));
      },
      detailsUrl: checkDetailsUrl(sources.site.root, check.code),
      get json() {
        return (json ??= sources.renderCheckJson(check, subject.channelCodes));
      },
    },
    event: {
      status: event.status,
      reason: event.reason as AlertReason,
      at: event.event_at,
      downtimeMs: event.downtime,
      notificationId: event.code,
    },
    lastPing: lastPingOf(lastPing),
  };
}
