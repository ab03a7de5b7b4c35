// The rules of a check's status in one place: Healthchecks' get_grace_start, going_down_after and
// get_status (spec §2.2, §2.3), plus Lookout's max_duration, the time a started run may take.
// Without max_duration every rule is Healthchecks' own. With it, a run in progress covers its check
// until start + max_duration: the check is neither late nor down before then, whatever its grace or
// period say; afterwards Healthchecks' rules apply as if max_duration were not set. (Whether the
// run is then reported stuck depends on alert_on_stuck: see alert-rules.ts.)
// Instants are epoch milliseconds; timeout, grace and maxDuration are seconds, as stored.
import { nextScheduleMatch } from './schedule/index.js';

export type CheckKind = 'simple' | 'cron' | 'oncalendar';
export type StoredStatus = 'new' | 'up' | 'down' | 'paused';
/** What a reader sees: `grace` and `started` are computed, never stored. */
export type CheckStatus = StoredStatus | 'grace' | 'started';

export interface CheckTiming {
  kind: CheckKind;
  /** Seconds; used by simple checks. */
  timeout: number;
  /** Seconds. */
  grace: number;
  schedule: string;
  tz: string;
  status: StoredStatus;
  lastPing: number | null;
  lastStart: number | null;
  /** Seconds a started run may take: it covers the check until then, and is stuck after; null = none. */
  maxDuration: number | null;
}

export interface StartedOption {
  /** Count a run in progress: its start time bounds the grace start (and v1 reports `started`). */
  withStarted: boolean;
}

/**
 * When the check is next due, after which the grace period runs; null = never. This is the API's
 * `next_ping`. Throws the schedule module's errors for a schedule or zone that can't be evaluated.
 */
export function graceStart(check: CheckTiming, { withStarted }: StartedOption): number | null {
  let start = check.status === 'up' ? nextDue(check) : null;
  if (withStarted && check.lastStart !== null && check.status !== 'down') {
    start = start === null ? check.lastStart : Math.min(start, check.lastStart);
  }
  return start;
}

/**
 * When the check goes down unless pinged; null = never. Healthchecks' going_down_after, but never
 * before a run in progress has had its max_duration. (`alert_after` may come sooner, when a stuck
 * run is watched: see alertDeadline.)
 */
export function goingDownAfter(check: CheckTiming): number | null {
  const start = graceStart(check, { withStarted: true });
  if (start === null) return null;
  const deadline = start + check.grace * 1000;
  const covered = stuckAfter(check);
  return covered === null ? deadline : Math.max(deadline, covered);
}

export function checkStatus(check: CheckTiming, now: number, { withStarted }: StartedOption): CheckStatus {
  // A run within its max_duration covers the check: not late, not down (a stored status stands).
  const covered = stuckAfter(check);
  if (covered !== null && now < covered) return withStarted ? 'started' : check.status;
  // A run that outlasted the grace time is down whatever the stored status (new, paused, up).
  if (check.lastStart !== null) {
    if (now >= check.lastStart + check.grace * 1000) return 'down';
    // A run past its max_duration is overdue, no longer merely started.
    if (withStarted && covered === null) return 'started';
  }
  if (check.status !== 'up') return check.status;

  // Deliberately ignores a run in progress: a started check whose period is over shows `grace`.
  const start = graceStart(check, { withStarted: false });
  if (start === null) return 'up';
  if (now >= start + check.grace * 1000) return 'down';
  if (now >= start) return 'grace';
  return 'up';
}

/**
 * When a run in progress has taken its max_duration (it is stuck from then on); null without a run
 * or without a max duration. Until then the run covers the check.
 */
export function stuckAfter(check: CheckTiming): number | null {
  if (check.lastStart === null || check.maxDuration === null) return null;
  return check.lastStart + check.maxDuration * 1000;
}

export function isStuck(check: CheckTiming, now: number): boolean {
  const deadline = stuckAfter(check);
  return deadline !== null && now >= deadline;
}

/** The next expected ping of an `up` check, from its last ping. */
function nextDue(check: CheckTiming): number | null {
  if (check.lastPing === null) return null;
  if (check.kind === 'simple') return check.lastPing + check.timeout * 1000;
  return nextScheduleMatch(check.kind, check.schedule, check.tz, check.lastPing);
}
