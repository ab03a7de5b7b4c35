// A check as the Healthchecks Management API shows it (Check.to_dict): keys in the same order,
// the same types, per API version, with read-only keys seeing less.
import { uniqueKey } from '../../../checks/unique-key.js';
import { checkStatus, graceStart } from '../../../core/check-status.js';
import { checkTimingOf } from '../../../store/check-mapping.js';
import type { CheckView } from '../../../store/checks.js';
import type { MemberSink } from './python-json.js';
import { ObjectMembers } from './python-json.js';

export type ApiVersion = 1 | 2 | 3;

export interface RenderContext {
  siteRoot: string;
  pingEndpoint: string;
  version: ApiVersion;
  readOnly: boolean;
  now: number;
}

const DAY_MS = 86_400_000;
const YEAR_10000_MS = 253_402_300_800_000;

/** ISO 8601 in UTC without fractions and with `+00:00`, as Healthchecks prints instants. */
export function isoSeconds(ms: number | null): string | null {
  if (ms === null) return null;
  // A list prints two instants per check: those of years 1970–9999 are written from arithmetic,
  // without a Date each; Date writes the rest (and agrees with the arithmetic, see the tests).
  if (!(Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000_MS)) return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
  const days = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - days * DAY_MS) / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${civilDate(days)}T${twoDigits(Math.floor(minutes / 60))}:${twoDigits(minutes % 60)}:${twoDigits(seconds % 60)}+00:00`;
}

/** YYYY-MM-DD of a day counted from 1970-01-01, for days of years 1970–9999 (H. Hinnant's civil_from_days). */
function civilDate(days: number): string {
  // Counted from 0000-03-01 in 400-year eras, so that the leap day ends each year.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
  return `${year}-${twoDigits(month)}-${twoDigits(day)}`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

export { uniqueKey };

/** ISO 8601 with the milliseconds we store printed as Python prints microseconds (.113000), none when zero. */
export function isoMicros(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(19, 23);
  return `${iso.slice(0, 19)}${fraction === '.000' ? '' : `${fraction}000`}+00:00`;
}

/** A check as the API shows it, as an object (single-check answers; a list uses CheckRenderer). */
export function checkJson(row: CheckView, channelCodes: string[], ctx: RenderContext): Record<string, unknown> {
  const members = new ObjectMembers();
  new CheckRenderer(ctx).members(row, channelCodes, members);
  return members.object;
}

/**
 * Renders checks in one context (one request): the one definition of a check's shape, which
 * checkJson collects into an object and the list writes straight into its text. What is the same
 * for every check, the URL prefixes and the text of each distinct channel list, is made once.
 */
export class CheckRenderer {
  private readonly badgePrefix: string;
  private readonly checkPrefix: string;
  // Checks with the same channels share one array (see eachListedCheckChunk).
  private readonly channelTexts = new Map<string[], string>();

  constructor(private readonly ctx: RenderContext) {
    this.badgePrefix = `${ctx.siteRoot}/b/2/`;
    this.checkPrefix = `${ctx.siteRoot}/api/v${ctx.version}/checks/`;
  }

  /** The check's members, in order, into `out`. */
  members(row: CheckView, channelCodes: string[], out: MemberSink): void {
    const { ctx } = this;
    const timing = checkTimingOf(row);
    const status = checkStatus(timing, ctx.now, { withStarted: ctx.version === 1 });
    const filterSubject = row.filter_subject === 1;
    out.member('name', row.name);
    out.member('slug', row.slug);
    out.member('tags', row.tags);
    out.member('desc', row.description);
    out.member('grace', row.grace);
    out.member('n_pings', row.n_pings);
    out.member('status', status);
    out.member('started', row.last_start !== null);
    out.member('last_ping', isoSeconds(row.last_ping));
    out.member('next_ping', isoSeconds(graceStart(timing, { withStarted: true })));
    out.member('manual_resume', row.manual_resume === 1);
    out.member('methods', row.methods);
    out.member('subject', filterSubject ? row.success_kw : '');
    out.member('subject_fail', filterSubject ? row.failure_kw : '');
    out.member('start_kw', row.start_kw);
    out.member('success_kw', row.success_kw);
    out.member('failure_kw', row.failure_kw);
    out.member('filter_subject', filterSubject);
    out.member('filter_body', row.filter_body === 1);
    out.member('filter_http_body', row.filter_http_body === 1);
    out.member('filter_default_fail', row.filter_default_fail === 1);
    out.joinedMember('badge_url', this.badgePrefix, row.badge_key, '.svg');
    // Whole seconds; present whenever a duration is stored and non-zero (even if under a second).
    if (row.last_duration !== null && row.last_duration > 0) out.member('last_duration', Math.floor(row.last_duration / 1000));
    if (ctx.readOnly) {
      out.member('unique_key', uniqueKey(row.code));
    } else {
      out.member('uuid', row.code);
      out.joinedMember('ping_url', ctx.pingEndpoint, row.code, '');
      out.joinedMember('update_url', this.checkPrefix, row.code, '');
      out.joinedMember('pause_url', this.checkPrefix, row.code, '/pause');
      out.joinedMember('resume_url', this.checkPrefix, row.code, '/resume');
      out.member('channels', this.channelText(channelCodes));
    }
    if (row.kind === 'simple') {
      out.member('timeout', row.timeout);
    } else {
      out.member('schedule', row.schedule);
      out.member('tz', row.tz);
    }
    // Lookout's additions, after every Healthchecks key so that no Healthchecks client trips on them.
    out.member('max_duration', row.max_duration);
    out.member('alert_on_missed', row.alert_on_missed === 1);
    out.member('alert_on_fail', row.alert_on_fail === 1);
    out.member('alert_on_stuck', row.alert_on_stuck === 1);
    out.member('alert_on_long', row.alert_on_long === 1);
    // The short ping code pings the check, so only read-write keys see it.
    if (!ctx.readOnly) out.member('ping_code', row.ping_code);
  }

  private channelText(channelCodes: string[]): string {
    let text = this.channelTexts.get(channelCodes);
    if (text === undefined) {
      text = channelCodes.join(',');
      this.channelTexts.set(channelCodes, text);
    }
    return text;
  }
}
