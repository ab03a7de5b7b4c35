import { describe, expect, it } from 'vitest';
import type { AlertRules, FlipEvent } from '../../src/core/alert-rules.js';
import {
  DEFAULT_ALERT_RULES,
  alertDeadline,
  announceFlip,
  evaluateDeadline,
  failureThresholdReached,
  firstReminderAt,
  isFlapping,
  nextReminderAt,
  runVerdict,
} from '../../src/core/alert-rules.js';
import type { CheckTiming } from '../../src/core/check-status.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2030-06-01T12:00:00Z');

function check(overrides: Partial<CheckTiming> = {}): CheckTiming {
  return {
    kind: 'simple',
    timeout: 3600,
    grace: 600,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'up',
    lastPing: NOW,
    lastStart: null,
    maxDuration: null,
    ...overrides,
  };
}

const rules = (overrides: Partial<AlertRules> = {}): AlertRules => ({ ...DEFAULT_ALERT_RULES, ...overrides });
const flip = (oldStatus: string, newStatus: string, at: number, reason = ''): FlipEvent => ({ oldStatus, newStatus, at, reason });
const quiet = { downSince: null, recentChanges: [], flapNotifiedAt: null };

describe('alertDeadline', () => {
  it('is the end of the grace time after the next expected ping', () => {
    expect(alertDeadline(check())).toBe(NOW + HOUR + 10 * MINUTE);
  });

  it('is the moment a run becomes stuck when that comes first', () => {
    expect(alertDeadline(check({ lastStart: NOW, maxDuration: 120 }))).toBe(NOW + 2 * MINUTE);
  });

  it('ignores max_duration when stuck runs are not watched, and for a check that is down', () => {
    expect(alertDeadline(check({ lastStart: NOW, maxDuration: 120 }), false)).toBe(NOW + 10 * MINUTE);
    expect(alertDeadline(check({ status: 'down', lastStart: NOW, maxDuration: 120 }))).toBeNull();
  });

  it('is null for a new or paused check without a run in progress', () => {
    expect(alertDeadline(check({ status: 'new', lastPing: null }))).toBeNull();
    expect(alertDeadline(check({ status: 'paused' }))).toBeNull();
  });
});

describe('evaluateDeadline', () => {
  it('goes down at the deadline, whenever it is evaluated', () => {
    const deadline = NOW + HOUR + 10 * MINUTE;
    expect(evaluateDeadline(check(), true, deadline)).toEqual({ kind: 'down', at: deadline, reason: 'timeout' });
    expect(evaluateDeadline(check(), true, deadline + 5 * HOUR)).toEqual({ kind: 'down', at: deadline, reason: 'timeout' });
  });

  it('waits for the real deadline when the stored one came too early', () => {
    expect(evaluateDeadline(check(), true, NOW + HOUR)).toEqual({ kind: 'wait', alertAfter: NOW + HOUR + 10 * MINUTE });
  });

  it('reports a stuck run at the moment it became stuck', () => {
    const started = check({ lastStart: NOW, maxDuration: 60 });
    expect(evaluateDeadline(started, true, NOW + 59 * SECOND)).toEqual({ kind: 'wait', alertAfter: NOW + MINUTE });
    expect(evaluateDeadline(started, true, NOW + 5 * MINUTE)).toEqual({ kind: 'down', at: NOW + MINUTE, reason: 'stuck' });
  });

  it('gives a run its max_duration even when grace ends first: stuck then, not down at start + grace', () => {
    // Grace (10 min) ends before the max duration (20 min): the run may take the 20 minutes.
    const started = check({ lastStart: NOW, maxDuration: 1200 });
    expect(evaluateDeadline(started, true, NOW + 10 * MINUTE)).toEqual({ kind: 'wait', alertAfter: NOW + 20 * MINUTE });
    expect(evaluateDeadline(started, true, NOW + HOUR)).toEqual({ kind: 'down', at: NOW + 20 * MINUTE, reason: 'stuck' });
  });

  it('never takes a paused check down, and waits for nothing', () => {
    expect(evaluateDeadline(check({ status: 'paused' }), true, NOW + 10 * HOUR)).toEqual({ kind: 'wait', alertAfter: null });
  });

  it('throws for a schedule that cannot be evaluated', () => {
    expect(() => evaluateDeadline(check({ kind: 'cron', schedule: 'nonsense' }), true, NOW)).toThrow();
  });
});

describe('deadlines of a run with max_duration', () => {
  const DAY = 24 * HOUR;
  // Seed 003's example: daily, grace 600 s, max_duration 1800 s; the last run took 2 s, so the
  // period after it ends 2 s after today's start (S) and its grace at S + 602 s.
  const S = NOW;
  const seed = (overrides: Partial<CheckTiming> = {}) =>
    check({ timeout: 86_400, grace: 600, maxDuration: 1800, lastPing: S - DAY + 2 * SECOND, lastStart: S, ...overrides });
  const stuckAt = (at: number) => ({ kind: 'down', at, reason: 'stuck' });
  const timeoutAt = (at: number) => ({ kind: 'down', at, reason: 'timeout' });

  it('seed 003: nothing at start + grace; stuck at start + max_duration', () => {
    expect(alertDeadline(seed())).toBe(S + 30 * MINUTE);
    expect(evaluateDeadline(seed(), true, S + 10 * MINUTE)).toEqual({ kind: 'wait', alertAfter: S + 30 * MINUTE });
    expect(evaluateDeadline(seed(), true, S + 30 * MINUTE - 1)).toEqual({ kind: 'wait', alertAfter: S + 30 * MINUTE });
    expect(evaluateDeadline(seed(), true, S + 30 * MINUTE)).toEqual(stuckAt(S + 30 * MINUTE));
    // Noticed late, still timestamped at the moment it became stuck.
    expect(evaluateDeadline(seed(), true, S + 5 * HOUR)).toEqual(stuckAt(S + 30 * MINUTE));
  });

  it('seed 003 with alert_on_stuck off: the run still has its max_duration, then times out', () => {
    expect(alertDeadline(seed(), false)).toBe(S + 30 * MINUTE);
    expect(evaluateDeadline(seed(), false, S + 10 * MINUTE)).toEqual({ kind: 'wait', alertAfter: S + 30 * MINUTE });
    expect(evaluateDeadline(seed(), false, S + 30 * MINUTE)).toEqual(timeoutAt(S + 30 * MINUTE));
  });

  it('without max_duration, exactly Healthchecks: down at start + grace, reason timeout', () => {
    const plain = seed({ maxDuration: null });
    expect(alertDeadline(plain)).toBe(S + 10 * MINUTE);
    expect(evaluateDeadline(plain, true, S + 10 * MINUTE)).toEqual(timeoutAt(S + 10 * MINUTE));
  });

  it('max_duration shorter than grace: stuck at max_duration when watched, else down at start + grace', () => {
    const short = seed({ maxDuration: 120 });
    expect(alertDeadline(short, true)).toBe(S + 2 * MINUTE);
    expect(evaluateDeadline(short, true, S + 2 * MINUTE)).toEqual(stuckAt(S + 2 * MINUTE));
    expect(alertDeadline(short, false)).toBe(S + 10 * MINUTE);
    expect(evaluateDeadline(short, false, S + 2 * MINUTE)).toEqual({ kind: 'wait', alertAfter: S + 10 * MINUTE });
    expect(evaluateDeadline(short, false, S + HOUR)).toEqual(timeoutAt(S + 10 * MINUTE));
  });

  it('a start late in the grace time: the run gets its max_duration past the period’s grace', () => {
    // Due at S - 5 min, grace until S + 5 min.
    const late = seed({ lastPing: S - DAY - 5 * MINUTE });
    expect(alertDeadline(late)).toBe(S + 30 * MINUTE);
    expect(evaluateDeadline(late, true, S + 10 * MINUTE)).toEqual({ kind: 'wait', alertAfter: S + 30 * MINUTE });
    const lateShort = seed({ lastPing: S - DAY - 5 * MINUTE, maxDuration: 120 });
    expect(alertDeadline(lateShort, true)).toBe(S + 2 * MINUTE);
    expect(alertDeadline(lateShort, false)).toBe(S + 5 * MINUTE);
    expect(evaluateDeadline(lateShort, false, S + 6 * MINUTE)).toEqual(timeoutAt(S + 5 * MINUTE));
  });

  it.each(['new', 'paused'] as const)('a run on a %s check is stuck at max_duration', (status) => {
    const started = seed({ status, lastPing: status === 'new' ? null : S - HOUR });
    expect(alertDeadline(started)).toBe(S + 30 * MINUTE);
    expect(evaluateDeadline(started, true, S + 30 * MINUTE)).toEqual(stuckAt(S + 30 * MINUTE));
  });

  it('a paused check without a run has no deadline, whatever max_duration says', () => {
    const paused = seed({ status: 'paused', lastStart: null });
    expect(alertDeadline(paused)).toBeNull();
    expect(evaluateDeadline(paused, true, S + DAY)).toEqual({ kind: 'wait', alertAfter: null });
  });

  it('a down check has no deadline, even with a run in progress', () => {
    expect(alertDeadline(seed({ status: 'down' }))).toBeNull();
    expect(evaluateDeadline(seed({ status: 'down' }), true, S + HOUR)).toEqual({ kind: 'wait', alertAfter: null });
  });

  it.each([
    // 03:00 in New York (EDT, UTC-4) is 07:00 UTC; in Tokyo (UTC+9), 18:00 UTC the day before.
    ['cron in America/New_York', { kind: 'cron' as const, schedule: '0 3 * * *', tz: 'America/New_York' }, Date.parse('2030-06-01T07:00:00Z')],
    ['OnCalendar in Asia/Tokyo', { kind: 'oncalendar' as const, schedule: '*-*-* 03:00:00', tz: 'Asia/Tokyo' }, Date.parse('2030-05-31T18:00:00Z')],
  ])('%s: the run started at the scheduled time is covered, then stuck', (_name, schedule, start) => {
    const started = check({ ...schedule, grace: 600, maxDuration: 1800, lastPing: start - DAY + 2 * SECOND, lastStart: start });
    expect(alertDeadline(started)).toBe(start + 30 * MINUTE);
    expect(evaluateDeadline(started, true, start + 30 * MINUTE)).toEqual(stuckAt(start + 30 * MINUTE));
    // Once the run is over the schedule decides again: the next 03:00 plus grace.
    expect(alertDeadline({ ...started, lastStart: null, lastPing: start + 20 * MINUTE })).toBe(start + DAY + 10 * MINUTE);
    expect(alertDeadline({ ...started, maxDuration: 120 })).toBe(start + 2 * MINUTE);
  });
});

describe('runVerdict', () => {
  const watched = { alertOnLong: true, maxDuration: 60, minDuration: 10 };
  it('finds runs that took too long or too short a time', () => {
    expect(runVerdict(61 * SECOND, watched)).toBe('long');
    expect(runVerdict(60 * SECOND, watched)).toBeNull();
    expect(runVerdict(9 * SECOND, watched)).toBe('short');
    expect(runVerdict(10 * SECOND, watched)).toBeNull();
  });

  it('leaves long runs alone unless they are watched', () => {
    expect(runVerdict(HOUR, { ...watched, alertOnLong: false })).toBeNull();
  });
});

describe('failureThresholdReached', () => {
  it('counts the latest completions only', () => {
    expect(failureThresholdReached([true], 1)).toBe(true);
    expect(failureThresholdReached([true, true], 3)).toBe(false);
    expect(failureThresholdReached([true, true, true, false], 3)).toBe(true);
    expect(failureThresholdReached([true, false, true, true], 3)).toBe(false);
  });
});

describe('announceFlip', () => {
  it('announces a change to down for the reasons whose rule is on', () => {
    expect(announceFlip(flip('up', 'down', NOW, 'timeout'), rules(), quiet)).toEqual({ announce: true, status: 'down', reason: 'timeout', downtimeMs: null });
    expect(announceFlip(flip('up', 'down', NOW, 'timeout'), rules({ alertOnMissed: false }), quiet)).toEqual({ announce: false });
    expect(announceFlip(flip('up', 'down', NOW, 'fail'), rules({ alertOnFail: false }), quiet)).toEqual({ announce: false });
    expect(announceFlip(flip('up', 'down', NOW, 'stuck'), rules({ alertOnStuck: false }), quiet)).toEqual({ announce: false });
    expect(announceFlip(flip('up', 'down', NOW, 'long'), rules(), quiet)).toEqual({ announce: false });
    expect(announceFlip(flip('up', 'down', NOW, 'short'), rules({ minDuration: 5 }), quiet)).toMatchObject({ announce: true, reason: 'short' });
  });

  it('announces a recovery with the downtime, only when the change to down was announced', () => {
    const recovery = flip('down', 'up', NOW);
    expect(announceFlip(recovery, rules(), { ...quiet, downSince: { at: NOW - HOUR, alerted: true } })).toEqual({ announce: true, status: 'up', reason: '', downtimeMs: HOUR });
    expect(announceFlip(recovery, rules(), { ...quiet, downSince: { at: NOW - HOUR, alerted: false } })).toEqual({ announce: false });
  });

  it('never announces new→up, pauses or resumes', () => {
    expect(announceFlip(flip('new', 'up', NOW), rules(), quiet).announce).toBe(false);
    expect(announceFlip(flip('paused', 'up', NOW), rules(), quiet).announce).toBe(false);
    expect(announceFlip(flip('up', 'paused', NOW), rules(), quiet).announce).toBe(false);
    expect(announceFlip(flip('paused', 'new', NOW), rules(), quiet).announce).toBe(false);
  });

  it('sends one flapping notice per window instead of every change', () => {
    const flapping = rules({ flapThreshold: 3, flapWindow: 600 });
    const recent = [NOW - 3 * MINUTE, NOW - 2 * MINUTE, NOW - MINUTE];
    expect(isFlapping(flip('up', 'down', NOW), flapping, recent)).toBe(true);
    expect(isFlapping(flip('up', 'down', NOW), flapping, recent.slice(1))).toBe(false);
    expect(announceFlip(flip('up', 'down', NOW, 'fail'), flapping, { ...quiet, recentChanges: recent })).toEqual({ announce: true, status: 'down', reason: 'flapping', downtimeMs: null });
    expect(announceFlip(flip('up', 'down', NOW, 'fail'), flapping, { ...quiet, recentChanges: recent, flapNotifiedAt: NOW - MINUTE })).toEqual({ announce: false });
    expect(announceFlip(flip('up', 'down', NOW, 'fail'), flapping, { ...quiet, recentChanges: recent, flapNotifiedAt: NOW - 11 * MINUTE }).announce).toBe(true);
  });

  it('does not count changes older than the window', () => {
    const flapping = rules({ flapThreshold: 1, flapWindow: 60 });
    expect(isFlapping(flip('up', 'down', NOW), flapping, [NOW - 61 * SECOND])).toBe(false);
  });
});

describe('reminders', () => {
  it('start one interval after the alert', () => {
    expect(firstReminderAt(rules({ reminderInterval: 3600 }), NOW)).toBe(NOW + HOUR);
    expect(firstReminderAt(rules(), NOW)).toBeNull();
  });

  it('fold the ones missed while nothing ran into one, keeping the rhythm', () => {
    expect(nextReminderAt(NOW, 3600, NOW)).toBe(NOW + HOUR);
    expect(nextReminderAt(NOW, 3600, NOW + 5.5 * HOUR)).toBe(NOW + 6 * HOUR);
  });
});
