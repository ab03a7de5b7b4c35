// What an integration is told about one notification: the check, its project, the event and the
// last ping before it (spec §6: message texts, webhook placeholders).
import type { AlertContext, AlertReason } from '../channels/types.js';
import { uniqueKey } from '../checks/unique-key.js';
import type { CheckView } from '../store/checks.js';
import type { NotificationRow } from '../store/schema.js';
import type { AlertSubject, LastPing } from '../store/notifications.js';

type CheckContext = AlertContext['check'];

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

/**
 * The check as a message sees it. A class rather than an object literal with getters: a burst
 * builds thousands a second, and V8 makes literals with accessors the slow way. `uniqueKey` and
 * `json` cost more than the rest and most messages use neither: both are made on first use.
 */
class AlertCheck implements CheckContext {
  readonly code: string;
  readonly name: string;
  readonly slug: string;
  readonly tags: string;
  readonly description: string;
  readonly kind: CheckContext['kind'];
  readonly timeout: number;
  readonly grace: number;
  readonly schedule: string;
  readonly tz: string;
  readonly nPings: number;
  readonly lastPing: number | null;
  readonly detailsUrl: string;
  private key: string | undefined;
  private rendered: Record<string, unknown> | undefined;

  constructor(
    private readonly sources: ContextSources,
    private readonly subject: AlertSubject,
  ) {
    const { check } = subject;
    this.code = check.code;
    this.name = check.name;
    this.slug = check.slug;
    this.tags = check.tags;
    this.description = check.description;
    this.kind = check.kind;
    this.timeout = check.timeout;
    this.grace = check.grace;
    this.schedule = check.schedule;
    this.tz = check.tz;
    this.nPings = check.n_pings;
    this.lastPing = check.last_ping;
    this.detailsUrl = checkDetailsUrl(sources.site.root, check.code);
  }

  get uniqueKey(): string {
    return (this.key ??= uniqueKey(this.code));
  }

  get json(): Record<string, unknown> {
    const { view } = this.subject;
    // A channel kind that shows the check must say so (ChannelDefinition.showsCheckJson).
    if (view === null) throw new Error("the check's JSON was not read for this channel");
    return (this.rendered ??= this.sources.renderCheckJson(view.check, view.channelCodes));
  }
}

export function buildAlertContext(
  sources: ContextSources,
  subject: AlertSubject,
  event: AlertEvent,
  lastPing: LastPing | undefined,
): AlertContext {
  return {
    site: sources.site,
    project: subject.project,
    check: new AlertCheck(sources, subject),
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
