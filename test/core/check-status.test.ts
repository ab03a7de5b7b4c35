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
