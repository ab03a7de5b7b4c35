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

  it('prefers the earlier reason when both deadlines passed', () => {
    // The grace time after the start (10 min) ends before the max duration (20 min).
    const started = check({ lastStart: NOW, maxDuration: 1200 });
    expect(evaluateDeadline(started, true, NOW + HOUR)).toEqual({ kind: 'down', at: NOW + 10 * MINUTE, reason: 'timeout' });
  });

  it('never takes a paused check down, and waits for nothing', () => {
    expect(evaluateDeadline(check({ status: 'paused' }), true, NOW + 10 * HOUR)).toEqual({ kind: 'wait', alertAfter: null });
  });

  it('throws for a schedule that cannot be evaluated', () => {
    expect(() => evaluateDeadline(check({ kind: 'cron', schedule: 'nonsense' }), true, NOW)).toThrow();
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
