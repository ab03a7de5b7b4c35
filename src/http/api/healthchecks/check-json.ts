// A check as the Healthchecks Management API shows it (Check.to_dict): keys in the same order,
// the same types, per API version, with read-only keys seeing less.
import { uniqueKey } from '../../../checks/unique-key.js';
import { checkStatus, graceStart } from '../../../core/check-status.js';
import { checkTimingOf } from '../../../store/check-mapping.js';
import type { CheckView } from '../../../store/checks.js';

export type ApiVersion = 1 | 2 | 3;

export interface RenderContext {
  siteRoot: string;
  pingEndpoint: string;
  version: ApiVersion;
  readOnly: boolean;
  now: number;
}

/** ISO 8601 in UTC without fractions and with `+00:00`, as Healthchecks prints instants. */
export function isoSeconds(ms: number | null): string | null {
  return ms === null ? null : `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

export { uniqueKey };

/** ISO 8601 with the milliseconds we store printed as Python prints microseconds (.113000), none when zero. */
export function isoMicros(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${fraction === '.000' ? '' : `${fraction}000`}+00:00`;
}

export function checkJson(row: CheckView, channelCodes: string[], ctx: RenderContext): Record<string, unknown> {
  const timing = checkTimingOf(row);
  const status = checkStatus(timing, ctx.now, { withStarted: ctx.version === 1 });
  const filterSubject = row.filter_subject === 1;
  const out: Record<string, unknown> = {
    name: row.name,
    slug: row.slug,
    tags: row.tags,
    desc: row.description,
    grace: row.grace,
    n_pings: row.n_pings,
    status,
    started: row.last_start !== null,
    last_ping: isoSeconds(row.last_ping),
    next_ping: isoSeconds(graceStart(timing, { withStarted: true })),
    manual_resume: row.manual_resume === 1,
    methods: row.methods,
    subject: filterSubject ? row.success_kw : '',
    subject_fail: filterSubject ? row.failure_kw : '',
    start_kw: row.start_kw,
    success_kw: row.success_kw,
    failure_kw: row.failure_kw,
    filter_subject: filterSubject,
    filter_body: row.filter_body === 1,
    filter_http_body: row.filter_http_body === 1,
    filter_default_fail: row.filter_default_fail === 1,
    badge_url: `${ctx.siteRoot}/b/2/${row.badge_key}.svg`,
  };
  // Whole seconds; present whenever a duration is stored and non-zero (even if under a second).
  if (row.last_duration !== null && row.last_duration > 0) out.last_duration = Math.floor(row.last_duration / 1000);
  if (ctx.readOnly) {
    out.unique_key = uniqueKey(row.code);
  } else {
    const updateUrl = `${ctx.siteRoot}/api/v${ctx.version}/checks/${row.code}`;
    out.uuid = row.code;
    out.ping_url = ctx.pingEndpoint + row.code;
    out.update_url = updateUrl;
    out.pause_url = `${updateUrl}/pause`;
    out.resume_url = `${updateUrl}/resume`;
    out.channels = channelCodes.join(',');
  }
  if (row.kind === 'simple') {
    out.timeout = row.timeout;
  } else {
    out.schedule = row.schedule;
    out.tz = row.tz;
  }
  // Lookout's additions, after every Healthchecks key so that no Healthchecks client trips on them.
  out.max_duration = row.max_duration;
  out.alert_on_missed = row.alert_on_missed === 1;
  out.alert_on_fail = row.alert_on_fail === 1;
  out.alert_on_stuck = row.alert_on_stuck === 1;
  out.alert_on_long = row.alert_on_long === 1;
  // The short ping code pings the check, so only read-write keys see it.
  if (!ctx.readOnly) out.ping_code = row.ping_code;
  return out;
}
