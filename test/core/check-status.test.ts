import { describe, expect, it } from 'vitest';
import {
  checkStatus,
  goingDownAfter,
  graceStart,
  isStuck,
  stuckAfter,
  type CheckTiming,
} from '../../src/core/check-status.js';
import { InvalidScheduleError } from '../../src/core/schedule/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const NOW = at('2024-06-01T12:00:00Z');

/** A Healthchecks default check (simple, timeout 1 day, grace 1 hour), up and pinged now. */
function check(overrides: Partial<CheckTiming> = {}): CheckTiming {
  return {
    kind: 'simple',
    timeout: 86_400,
    grace: 3_600,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'up',
    lastPing: NOW,
    lastStart: null,
    maxDuration: null,
    ...overrides,
  };
}

const status = (timing: CheckTiming, now: number, withStarted = false) => checkStatus(timing, now, { withStarted });

describe('checkStatus of a simple check', () => {
  it('is up right after a ping', () => {
    expect(status(check(), NOW)).toBe('up');
  });

  it('is in grace a day and 30 minutes after the last ping', () => {
    expect(status(check({ lastPing: NOW - DAY - 30 * MINUTE }), NOW)).toBe('grace');
  });

  it('is down two days after the last ping', () => {
    expect(status(check({ lastPing: NOW - 2 * DAY }), NOW)).toBe('down');
  });

  it('enters grace exactly at the end of the timeout', () => {
    const timing = check();
    expect(status(timing, NOW + DAY - 1)).toBe('up');
    expect(status(timing, NOW + DAY)).toBe('grace');
  });

  it('goes down exactly at the end of the grace time', () => {
    const timing = check();
    expect(status(timing, NOW + DAY + HOUR - 1)).toBe('grace');
    expect(status(timing, NOW + DAY + HOUR)).toBe('down');
  });

  it.each(['new', 'paused', 'down'] as const)('reports the stored status %s as it is', (stored) => {
    expect(status(check({ status: stored, lastPing: NOW - 30 * DAY }), NOW)).toBe(stored);
  });
});

describe('checkStatus of a scheduled check', () => {
  const pingedAtMidnight = { status: 'up' as const, lastPing: at('2000-01-01T00:00:00Z') };

  it.each([
    ['cron in UTC', { kind: 'cron' as const, schedule: '0 0 * * *', tz: 'UTC' }],
    ['cron in Australia/Brisbane', { kind: 'cron' as const, schedule: '0 10 * * *', tz: 'Australia/Brisbane' }],
    ['OnCalendar in UTC', { kind: 'oncalendar' as const, schedule: '00:00', tz: 'UTC' }],
  ])('%s: up before the next run, grace from it, down an hour later', (_name, schedule) => {
    const timing = check({ ...schedule, ...pingedAtMidnight });
    expect(status(timing, at('2000-01-01T23:59:00Z'))).toBe('up');
    expect(status(timing, at('2000-01-02T00:00:00Z'))).toBe('grace');
    expect(status(timing, at('2000-01-02T01:00:00Z'))).toBe('down');
  });

  it('stays up forever when the OnCalendar schedule has no further match', () => {
    const timing = check({ kind: 'oncalendar', schedule: '2019-01-01', lastPing: at('2020-01-01T00:00:00Z') });
    expect(status(timing, at('2100-01-01T00:00:00Z'))).toBe('up');
    expect(graceStart(timing, { withStarted: true })).toBeNull();
    expect(goingDownAfter(timing)).toBeNull();
  });

  it('follows real time across the Europe/Riga fall-back', () => {
    // 00:55Z is 03:55 EEST; the next :15 is 03:15 EET, at 01:15Z.
    const timing = check({
      kind: 'cron',
      schedule: '15 * * * *',
      tz: 'Europe/Riga',
      grace: 300,
      lastPing: at('2023-10-29T00:55:00Z'),
    });
    expect(status(timing, at('2023-10-29T01:05:00Z'))).toBe('up');
    expect(graceStart(timing, { withStarted: false })).toBe(at('2023-10-29T01:15:00Z'));
  });

  it('expects the next cron run after the minute of the last ping', () => {
    const timing = check({ kind: 'cron', schedule: '0 0 * * *', lastPing: at('2000-01-01T00:00:45Z') });
    expect(graceStart(timing, { withStarted: false })).toBe(at('2000-01-02T00:00:00Z'));
  });

  it('throws for a schedule that cannot be evaluated', () => {
    const timing = check({ kind: 'cron', schedule: '0 0 31 2 *' });
    expect(() => status(timing, NOW)).toThrow(InvalidScheduleError);
  });
});

describe('checkStatus of a started run', () => {
  const started = { lastStart: NOW - 10 * MINUTE };

  it('is started within the grace time when asked with started', () => {
    expect(status(check({ ...started, status: 'new', lastPing: null }), NOW, true)).toBe('started');
  });

  it('ignores the run when asked without started', () => {
    expect(status(check({ ...started, status: 'new', lastPing: null }), NOW)).toBe('new');
    expect(status(check({ ...started, status: 'paused' }), NOW)).toBe('paused');
  });

  it.each(['new', 'paused', 'up'] as const)('is down once the run outlasts the grace, even if stored %s', (stored) => {
    const timing = check({ status: stored, lastStart: NOW - HOUR });
    expect(status(timing, NOW)).toBe('down');
    expect(status(timing, NOW, true)).toBe('down');
  });

  it('is in grace when the period is over, since the run is ignored without started', () => {
    const timing = check({ lastPing: NOW - DAY - 5 * MINUTE, lastStart: NOW - 5 * MINUTE });
    expect(status(timing, NOW)).toBe('grace');
    expect(status(timing, NOW, true)).toBe('started');
  });
});

describe('graceStart', () => {
  it('is the last ping plus the timeout for an up simple check', () => {
    expect(graceStart(check(), { withStarted: true })).toBe(NOW + DAY);
  });

  it.each(['new', 'paused', 'down'] as const)('is never for a %s check', (stored) => {
    expect(graceStart(check({ status: stored }), { withStarted: true })).toBeNull();
  });

  it('is the start of a run in progress when that comes first', () => {
    const timing = check({ lastStart: NOW + HOUR });
    expect(graceStart(timing, { withStarted: true })).toBe(NOW + HOUR);
    expect(graceStart(timing, { withStarted: false })).toBe(NOW + DAY);
  });

  it('is the start of a run in progress for a new or paused check', () => {
    expect(graceStart(check({ status: 'new', lastPing: null, lastStart: NOW }), { withStarted: true })).toBe(NOW);
    expect(graceStart(check({ status: 'paused', lastStart: NOW }), { withStarted: true })).toBe(NOW);
  });

  it('ignores a run in progress on a down check', () => {
    expect(graceStart(check({ status: 'down', lastStart: NOW }), { withStarted: true })).toBeNull();
  });
});

describe('goingDownAfter', () => {
  it('is the grace start plus the grace time', () => {
    expect(goingDownAfter(check())).toBe(NOW + DAY + HOUR);
  });

  it('counts a run in progress', () => {
    expect(goingDownAfter(check({ status: 'paused', lastStart: NOW }))).toBe(NOW + HOUR);
  });

  it.each(['new', 'paused', 'down'] as const)('is never for an idle %s check', (stored) => {
    expect(goingDownAfter(check({ status: stored }))).toBeNull();
  });
});

describe('stuck runs', () => {
  it('are stuck once the run is older than the max duration', () => {
    const timing = check({ lastStart: NOW, maxDuration: 600 });
    expect(stuckAfter(timing)).toBe(NOW + 10 * MINUTE);
    expect(isStuck(timing, NOW + 10 * MINUTE - 1)).toBe(false);
    expect(isStuck(timing, NOW + 10 * MINUTE)).toBe(true);
  });

  it('are never stuck without a max duration', () => {
    const timing = check({ lastStart: NOW - 30 * DAY });
    expect(stuckAfter(timing)).toBeNull();
    expect(isStuck(timing, NOW)).toBe(false);
  });

  it('need a run in progress', () => {
    const timing = check({ maxDuration: 600 });
    expect(stuckAfter(timing)).toBeNull();
    expect(isStuck(timing, NOW + DAY)).toBe(false);
  });
});

describe('a run with max_duration', () => {
  // Seed 003's example: a daily job, grace 600 s, runs allowed 1800 s. Its last run finished 2 s
  // after it started, so the period after it ends 2 s after today's start, its grace 10 min later.
  const S = NOW;
  const seed = (overrides: Partial<CheckTiming> = {}) =>
    check({ grace: 600, maxDuration: 1800, lastPing: S - DAY + 2000, lastStart: S, ...overrides });

  it('covers the check until start + max_duration: not late and not down at start + grace', () => {
    const timing = seed();
    for (const at of [S, S + 5 * MINUTE, S + 10 * MINUTE, S + 30 * MINUTE - 1]) {
      expect(status(timing, at)).toBe('up');
      expect(status(timing, at, true)).toBe('started');
    }
  });

  it('is down at start + max_duration when grace has run out too', () => {
    const timing = seed();
    expect(status(timing, S + 30 * MINUTE)).toBe('down');
    expect(status(timing, S + 30 * MINUTE, true)).toBe('down');
    expect(goingDownAfter(timing)).toBe(S + 30 * MINUTE);
  });

  it('changes nothing without max_duration: down at start + grace, as in Healthchecks', () => {
    const timing = seed({ maxDuration: null });
    expect(status(timing, S + 10 * MINUTE - 1, true)).toBe('started');
    expect(status(timing, S + 10 * MINUTE)).toBe('down');
    expect(goingDownAfter(timing)).toBe(S + 10 * MINUTE);
  });

  it('shorter than grace: Healthchecks rules after max_duration, so down at start + grace', () => {
    const timing = seed({ maxDuration: 120, lastPing: S - HOUR });
    expect(status(timing, S + 2 * MINUTE - 1, true)).toBe('started');
    // Overdue: no longer reported as started, but not down before its grace ends.
    expect(status(timing, S + 2 * MINUTE, true)).toBe('up');
    expect(status(timing, S + 2 * MINUTE)).toBe('up');
    expect(status(timing, S + 10 * MINUTE - 1)).toBe('up');
    expect(status(timing, S + 10 * MINUTE)).toBe('down');
    expect(goingDownAfter(timing)).toBe(S + 10 * MINUTE);
  });

  it('shorter than grace, started late: down when the period’s grace ends, not before max_duration', () => {
    // Due at S - 5 min; its grace ends at S + 5 min, before start + grace.
    const late = seed({ maxDuration: 120, lastPing: S - DAY - 5 * MINUTE });
    expect(status(late, S + MINUTE)).toBe('up');
    expect(status(late, S + 2 * MINUTE)).toBe('grace');
    expect(status(late, S + 5 * MINUTE)).toBe('down');
    expect(goingDownAfter(late)).toBe(S + 5 * MINUTE);
    // Started so late that the grace ended before max_duration: down at max_duration.
    const later = seed({ maxDuration: 120, lastPing: S - DAY - 9 * MINUTE });
    expect(status(later, S + 2 * MINUTE - 1)).toBe('up');
    expect(status(later, S + 2 * MINUTE)).toBe('down');
    expect(goingDownAfter(later)).toBe(S + 2 * MINUTE);
  });

  it('longer than the period: the run still covers the check', () => {
    const timing = seed({ timeout: 3600, maxDuration: 3 * 3600, lastPing: S - 1000 });
    expect(status(timing, S + 2 * HOUR)).toBe('up');
    expect(goingDownAfter(timing)).toBe(S + 3 * HOUR);
  });

  it.each(['new', 'paused'] as const)('covers a %s check, which goes down at start + max_duration', (stored) => {
    const timing = seed({ status: stored, lastPing: stored === 'new' ? null : S - HOUR });
    expect(status(timing, S + 20 * MINUTE)).toBe(stored);
    expect(status(timing, S + 20 * MINUTE, true)).toBe('started');
    expect(status(timing, S + 30 * MINUTE)).toBe('down');
    expect(goingDownAfter(timing)).toBe(S + 30 * MINUTE);
  });

  it('leaves a down check down (v1 shows its run as started, as Healthchecks does within grace)', () => {
    const timing = seed({ status: 'down' });
    expect(status(timing, S + 20 * MINUTE)).toBe('down');
    expect(status(timing, S + 20 * MINUTE, true)).toBe('started');
    expect(status(timing, S + 30 * MINUTE, true)).toBe('down');
    expect(goingDownAfter(timing)).toBeNull();
  });

  it('is not a run without a start: max_duration alone changes nothing', () => {
    const timing = check({ maxDuration: 1800, lastPing: NOW - DAY - 30 * MINUTE });
    expect(status(timing, NOW)).toBe('grace');
    expect(goingDownAfter(timing)).toBe(NOW + 30 * MINUTE);
  });

  it.each([
    // 03:00 in New York (EDT, UTC-4) is 07:00 UTC.
    ['cron in America/New_York', { kind: 'cron' as const, schedule: '0 3 * * *', tz: 'America/New_York' }, '2024-06-01T07:00:00Z'],
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before.
    ['OnCalendar in Asia/Tokyo', { kind: 'oncalendar' as const, schedule: '*-*-* 03:00:00', tz: 'Asia/Tokyo' }, '2024-05-31T18:00:00Z'],
  ])('%s: a run started on time covers the check past the scheduled time’s grace', (_name, schedule, runAt) => {
    const start = at(runAt);
    const timing = check({ ...schedule, grace: 600, maxDuration: 1800, lastPing: start - DAY + 2000, lastStart: start });
    expect(status(timing, start + 20 * MINUTE)).toBe('up');
    expect(status(timing, start + 30 * MINUTE)).toBe('down');
    expect(goingDownAfter(timing)).toBe(start + 30 * MINUTE);
    // The same check without max_duration is down ten minutes after the scheduled time.
    expect(goingDownAfter({ ...timing, maxDuration: null })).toBe(start + 10 * MINUTE);
  });

  it('measures max_duration in elapsed time across a daylight-saving change', () => {
    // 01:30 EST on 2030-03-10 is 06:30 UTC; clocks jump from 02:00 to 03:00 that night.
    const start = at('2030-03-10T06:30:00Z');
    const timing = check({
      kind: 'cron',
      schedule: '30 1 * * *',
      tz: 'America/New_York',
      grace: 600,
      maxDuration: 3600,
      lastPing: at('2030-03-09T06:31:00Z'),
      lastStart: start,
    });
    expect(status(timing, start + HOUR - 1)).toBe('up');
    expect(goingDownAfter(timing)).toBe(start + HOUR);
  });
});
