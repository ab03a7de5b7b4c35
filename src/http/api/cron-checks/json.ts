// Lookout's checks, pings and servers as the Boxwatch Cron Checks API shows them (seed 003):
// 0/1 flags, whole seconds, instants as ISO 8601 with a `Z`.
import { checkStatus, isStuck } from '../../../core/check-status.js';
import { checkTimingOf } from '../../../store/check-mapping.js';
import type { CronCheckRow, PingPageRow } from '../../../store/cron-checks.js';
import type { CheckRow, ServerRow } from '../../../store/schema.js';

export type CronStatus = 'new' | 'up' | 'late' | 'down' | 'paused' | 'stuck';

/** `2026-05-24T03:00:14Z`: whole seconds, UTC. */
export function isoZ(ms: number | null): string | null {
  return ms === null ? null : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function wholeSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 1000);
}

/**
 * The seed's status words over Lookout's (v2) statuses: `grace` is `late`; a run in progress past
 * `max_duration_seconds` is `stuck` unless the check is already down.
 */
export function cronStatus(check: CheckRow, now: number): CronStatus {
  const timing = checkTimingOf(check);
  const status = checkStatus(timing, now, { withStarted: false });
  if (status === 'down' || status === 'paused') return status;
  if (isStuck(timing, now)) return 'stuck';
  if (status === 'grace') return 'late';
  // v2 statuses never say `started`; the stored status stands for such a check.
  return status === 'started' ? 'up' : status;
}

export function cronCheckJson(check: CronCheckRow, now: number): Record<string, unknown> {
  return {
    id: check.id,
    user_id: check.user_id,
    server_id: check.server_id,
    server_hostname: check.server_hostname,
    name: check.name,
    slug: check.code,
    // Checks on a cron or OnCalendar schedule (made through the Healthchecks API) have no interval.
    interval_seconds: check.kind === 'simple' ? check.timeout : null,
    grace_seconds: check.grace,
    max_duration_seconds: check.max_duration,
    enabled: check.status === 'paused' ? 0 : 1,
    status: cronStatus(check, now),
    alert_on_missed: check.alert_on_missed,
    alert_on_fail: check.alert_on_fail,
    alert_on_stuck: check.alert_on_stuck,
    alert_on_long: check.alert_on_long,
    last_ping_at: isoZ(check.last_ping),
    last_start_at: isoZ(check.last_start),
    last_success_at: isoZ(check.last_success),
    last_fail_at: isoZ(check.last_fail),
    last_exit_code: check.last_exit_code,
    last_duration_seconds: wholeSeconds(check.last_duration),
    created_at: isoZ(check.created),
  };
}

export function pingUrls(pingEndpoint: string, code: string): Record<string, string> {
  const success = pingEndpoint + code;
  return { success, start: `${success}/start`, fail: `${success}/fail` };
}

const PING_TYPES: Record<string, string> = { start: 'start', fail: 'fail', log: 'log', ign: 'ignored' };

export function pingJson(ping: PingPageRow): Record<string, unknown> {
  return {
    id: ping.id,
    check_id: ping.check_id,
    ping_type: ping.kind === null ? 'success' : (PING_TYPES[ping.kind] ?? ping.kind),
    exit_code: ping.exit_status,
    duration_seconds: wholeSeconds(ping.duration),
    source_ip: ping.remote_addr,
    user_agent: ping.ua === '' ? null : ping.ua,
    // Bodies are bytes; text clients get them decoded, invalid UTF-8 replaced with U+FFFD.
    body: ping.body === null || ping.body.length === 0 ? null : Buffer.from(ping.body).toString('utf8'),
    received_at: isoZ(ping.created),
  };
}

export function serverJson(server: ServerRow): Record<string, unknown> {
  return { id: server.id, hostname: server.hostname, created_at: isoZ(server.created) };
}
