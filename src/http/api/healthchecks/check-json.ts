// A check as the Healthchecks Management API shows it (Check.to_dict): keys in the same order,
// the same types, per API version, with read-only keys seeing less.
import crypto from 'node:crypto';
import { checkStatus, graceStart } from '../../../core/check-status.js';
import { checkTimingOf } from '../../../store/check-mapping.js';
import type { CheckRow } from '../../../store/schema.js';

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
  if (ms === null) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** A stable public identifier derived from the UUID, for read-only keys. */
export function uniqueKey(code: string): string {
  return crypto.createHash('sha1').update(code.replace(/-/g, '').slice(0, 16)).digest('hex');
}

export function checkJson(row: CheckRow, channelCodes: string[], ctx: RenderContext): Record<string, unknown> {
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
  return out;
}
