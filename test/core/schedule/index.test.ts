import { describe, expect, it } from 'vitest';
import {
  guessKind,
  InvalidScheduleError,
  InvalidTimeZoneError,
  isValidTimeZone,
  nextScheduleMatch,
  normaliseTimeZone,
  validateSchedule,
} from '../../../src/core/schedule/index.js';

describe('guessKind', () => {
  it.each([
    ['* * * * *', 'cron'],
    ['  0 0 * * *\n', 'cron'],
    ['0\t0  *  * mon', 'cron'],
    ['0 0 * * * *', 'oncalendar'],
    ['0 0 * *', 'oncalendar'],
    ['0 0 * * *\n0 12 * * *', 'oncalendar'],
    ['daily', 'oncalendar'],
    ['Mon *-*-* 12:00:00', 'oncalendar'],
    ['', 'oncalendar'],
  ])('guesses %j is %s', (schedule, kind) => {
    expect(guessKind(schedule)).toBe(kind);
  });
});

describe('validateSchedule', () => {
  it('accepts a cron expression that matches after 2000-01-01', () => {
    expect(validateSchedule('cron', '0 0 * * *', 'UTC')).toBe(true);
  });

  it.each(['0 0 31 2 *', '61 * * * *', 'not a cron'])('rejects the cron expression %j', (schedule) => {
    expect(validateSchedule('cron', schedule, 'UTC')).toBe(false);
  });

  it('rejects a cron expression that never matches', () => {
    expect(validateSchedule('cron', '1 1 */100 * MON#4', 'UTC')).toBe(false);
  });

  it('accepts an OnCalendar expression whose only match is in the past but after 2000', () => {
    expect(validateSchedule('oncalendar', '2019-01-01', 'UTC')).toBe(true);
  });

  it('rejects an OnCalendar expression with no match after 2000-01-01T00:00:00Z', () => {
    expect(validateSchedule('oncalendar', '1999-01-01', 'UTC')).toBe(false);
    expect(validateSchedule('oncalendar', '2000-01-01', 'UTC')).toBe(false);
  });

  it('rejects an OnCalendar schedule with any bad line', () => {
    expect(validateSchedule('oncalendar', '12:00\n25:00', 'UTC')).toBe(false);
  });
});

describe('nextScheduleMatch', () => {
  it('evaluates a cron schedule in the given zone', () => {
    expect(nextScheduleMatch('cron', '0 10 * * *', 'Australia/Brisbane', Date.parse('2000-01-01T00:00:00Z'))).toBe(
      Date.parse('2000-01-02T00:00:00Z'),
    );
  });

  it('evaluates an OnCalendar schedule in the given zone', () => {
    expect(nextScheduleMatch('oncalendar', '10:00', 'Australia/Brisbane', Date.parse('2000-01-01T00:00:00Z'))).toBe(
      Date.parse('2000-01-02T00:00:00Z'),
    );
  });

  it('returns null for a schedule with no further match', () => {
    expect(nextScheduleMatch('oncalendar', '2019-01-01', 'UTC', Date.parse('2020-01-01T00:00:00Z'))).toBeNull();
  });

  it('throws InvalidScheduleError for a schedule that does not parse', () => {
    expect(() => nextScheduleMatch('cron', '0 0 31 2 *', 'UTC', 0)).toThrow(InvalidScheduleError);
    expect(() => nextScheduleMatch('oncalendar', 'often', 'UTC', 0)).toThrow(InvalidScheduleError);
  });

  it('throws InvalidTimeZoneError for a zone the platform does not know', () => {
    expect(() => nextScheduleMatch('cron', '0 0 * * *', 'Mars/Olympus_Mons', 0)).toThrow(InvalidTimeZoneError);
  });
});

describe('time zone names', () => {
  it.each([
    'UTC',
    'GMT',
    'Etc/UTC',
    'Etc/GMT',
    'Etc/GMT+5',
    'Etc/GMT-14',
    'Europe/Riga',
    'Europe/Kyiv',
    'Asia/Kolkata',
    'America/Argentina/Buenos_Aires',
  ])('accepts %j as it is', (timeZone) => {
    expect(isValidTimeZone(timeZone)).toBe(true);
    expect(normaliseTimeZone(timeZone)).toBe(timeZone);
  });

  it.each([
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['UCT', 'Etc/UTC'],
    ['Etc/Zulu', 'Etc/UTC'],
    ['GMT0', 'Etc/GMT'],
    ['CET', 'Europe/Brussels'],
    ['EST5EDT', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['America/Godthab', 'America/Nuuk'],
    ['Australia/ACT', 'Australia/Sydney'],
  ])('accepts the legacy name %j and stores it as %j', (legacy, current) => {
    expect(isValidTimeZone(legacy)).toBe(true);
    expect(normaliseTimeZone(legacy)).toBe(current);
  });

  const notZones = ['', 'europe/riga', 'Mars/Olympus_Mons', 'Etc/GMT+13', 'UTC+2', 'Factory', 'constructor'];
  it.each(notZones)('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    expect(() => normaliseTimeZone(zone)).toThrow(InvalidTimeZoneError);
  });
});
