// When a check goes down, and which of its state changes are announced to its channels: the
// deadline rules (missed period or schedule, unfinished or stuck run), run-length rules (too long,
// too short), consecutive failures, reminders and flapping. Pure: time is passed in.
// Instants are epoch milliseconds; durations in rules are seconds, as stored.
import type { CheckTiming } from './check-status.js';
import { checkStatus, goingDownAfter, stuckAfter } from './check-status.js';

/** Why a notification is sent (matches the integrations' AlertReason). */
export type AlertReason = '' | 'timeout' | 'fail' | 'stuck' | 'long' | 'short' | 'reminder' | 'flapping';

export interface AlertRules {
  alertOnMissed: boolean;
  alertOnFail: boolean;
  alertOnStuck: boolean;
  alertOnLong: boolean;
  /** Seconds a run may take: longer is stuck while running, and `long` once finished. */
  maxDuration: number | null;
  /** Seconds a run must at least take; a faster finish is a failure. */
  minDuration: number | null;
  /** Failure pings in a row before the check goes down. */
  failureThreshold: number;
  /** Seconds between reminders while down; null = none. */
  reminderInterval: number | null;
  /** More changes than this within `flapWindow` seconds is flapping; null = not watched. */
  flapThreshold: number | null;
  flapWindow: number | null;
}

/** A check without rules of its own alerts exactly as in Healthchecks. */
export const DEFAULT_ALERT_RULES: AlertRules = {
  alertOnMissed: true,
  alertOnFail: true,
  alertOnStuck: true,
  alertOnLong: false,
  maxDuration: null,
  minDuration: null,
  failureThreshold: 1,
  reminderInterval: null,
  flapThreshold: null,
  flapWindow: null,
};

// ---- deadlines ----

function earliest(...instants: (number | null)[]): number | null {
  let out: number | null = null;
  for (const at of instants) if (at !== null && (out === null || at < out)) out = at;
  return out;
}

/** When a run in progress becomes stuck, if that is watched; a down check has no such moment. */
function stuckDeadline(check: CheckTiming, alertOnStuck: boolean): number | null {
  return alertOnStuck && check.status !== 'down' ? stuckAfter(check) : null;
}

/**
 * The check's next deadline (`alert_after`), the earliest moment its state can change without a
 * ping: when it goes down (goingDownAfter) or, for a run in progress with a max duration and
 * alert_on_stuck, the moment the run becomes stuck, whichever comes first; null = none.
 */
export function alertDeadline(check: CheckTiming, alertOnStuck = true): number | null {
  return earliest(goingDownAfter(check), stuckDeadline(check, alertOnStuck));
}

export type DeadlineOutcome =
  | { kind: 'down'; at: number; reason: 'timeout' | 'stuck' }
  | { kind: 'wait'; alertAfter: number | null };

/**
 * What a deadline that came due means at `now`: the check went down at the exact computed moment,
 * or its next deadline (the stored one was stale). Throws when the schedule can't be evaluated.
 */
export function evaluateDeadline(check: CheckTiming, alertOnStuck: boolean, now: number): DeadlineOutcome {
  if (check.status === 'down') return { kind: 'wait', alertAfter: null };
  // A run is covered until it becomes stuck, so a watched stuck moment never comes after the
  // timeout: when both have passed, the run was stuck first.
  const stuckAt = stuckDeadline(check, alertOnStuck);
  if (stuckAt !== null && now >= stuckAt) return { kind: 'down', at: stuckAt, reason: 'stuck' };
  const timeoutAt = goingDownAfter(check);
  if (checkStatus(check, now, { withStarted: false }) === 'down') return { kind: 'down', at: timeoutAt ?? now, reason: 'timeout' };
  return { kind: 'wait', alertAfter: earliest(timeoutAt, stuckAt) };
}

// ---- runs and failures ----

/** A finished run that took too long or too short a time is a failure of that kind. */
export function runVerdict(
  durationMs: number,
  rules: Pick<AlertRules, 'alertOnLong' | 'maxDuration' | 'minDuration'>,
): 'long' | 'short' | null {
  if (rules.alertOnLong && rules.maxDuration !== null && durationMs > rules.maxDuration * 1000) return 'long';
  if (rules.minDuration !== null && durationMs < rules.minDuration * 1000) return 'short';
  return null;
}

/**
 * Whether the latest completions (newest first; `true` = failed) reach the failure threshold,
 * so that the check goes down.
 */
export function failureThresholdReached(latestFailed: boolean[], threshold: number): boolean {
  if (threshold <= 1) return true;
  return latestFailed.length >= threshold && latestFailed.slice(0, threshold).every(Boolean);
}

// ---- announcing state changes ----

export interface FlipEvent {
  oldStatus: string;
  newStatus: string;
  reason: string;
  at: number;
}

export interface AnnounceContext {
  /** The change into down that the flip being decided ends (for changes to up). */
  downSince: { at: number; alerted: boolean } | null;
  /** Times of the check's earlier changes between up and down (not the flip being decided). */
  recentChanges: number[];
  /** When the last flapping notice went out. */
  flapNotifiedAt: number | null;
}

export type Announcement =
  | { announce: false }
  | { announce: true; status: 'up' | 'down'; reason: AlertReason; downtimeMs: number | null };

const SILENT: Announcement = { announce: false };

function downReasonAllowed(reason: string, rules: AlertRules): boolean {
  switch (reason) {
    case 'timeout':
      return rules.alertOnMissed;
    case 'fail':
      return rules.alertOnFail;
    case 'stuck':
      return rules.alertOnStuck;
    case 'long':
      return rules.alertOnLong;
    default:
      return true;
  }
}

function isUpDownChange(flip: FlipEvent): boolean {
  const active = (status: string) => status === 'up' || status === 'down';
  return active(flip.oldStatus) && active(flip.newStatus);
}

/** Whether the flip makes the check flap: more changes than the threshold within the window. */
export function isFlapping(flip: FlipEvent, rules: AlertRules, recentChanges: number[]): boolean {
  if (rules.flapThreshold === null || rules.flapWindow === null || !isUpDownChange(flip)) return false;
  const since = flip.at - rules.flapWindow * 1000;
  const earlier = recentChanges.filter((at) => at > since && at <= flip.at).length;
  return earlier + 1 > rules.flapThreshold;
}

/**
 * Whether a change of state is announced, and how. Changes to down are announced when the rule for
 * their reason is on; a recovery only when the change to down it ends was announced (with how long
 * the check was down); changes to new or paused, and new→up, never. While a check flaps, the first
 * change in each window is announced as flapping and the others are held back.
 */
export function announceFlip(flip: FlipEvent, rules: AlertRules, ctx: AnnounceContext): Announcement {
  let announcement: Announcement = SILENT;
  if (flip.newStatus === 'down' && flip.oldStatus !== 'down' && downReasonAllowed(flip.reason, rules)) {
    announcement = { announce: true, status: 'down', reason: flip.reason as AlertReason, downtimeMs: null };
  } else if (flip.newStatus === 'up' && flip.oldStatus === 'down' && ctx.downSince?.alerted) {
    announcement = { announce: true, status: 'up', reason: '', downtimeMs: flip.at - ctx.downSince.at };
  }
  if (!announcement.announce || !isFlapping(flip, rules, ctx.recentChanges)) return announcement;
  const window = (rules.flapWindow as number) * 1000;
  if (ctx.flapNotifiedAt !== null && ctx.flapNotifiedAt > flip.at - window) return SILENT;
  return { announce: true, status: announcement.status, reason: 'flapping', downtimeMs: null };
}

// ---- reminders ----

/** The first reminder after an announced change to down at `now`; null without reminders. */
export function firstReminderAt(rules: AlertRules, now: number): number | null {
  return rules.reminderInterval === null || rules.reminderInterval <= 0 ? null : now + rules.reminderInterval * 1000;
}

/** The reminder after one due at `due`, skipping those missed while nothing ran: always after `now`. */
export function nextReminderAt(due: number, intervalSeconds: number, now: number): number {
  const step = intervalSeconds * 1000;
  const missed = Math.max(0, Math.floor((now - due) / step));
  return due + (missed + 1) * step;
}
