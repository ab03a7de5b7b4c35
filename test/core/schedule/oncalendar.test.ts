import { describe, expect, it } from 'vitest';
import { InvalidScheduleError } from '../../../src/core/schedule/errors.js';
import { parseOnCalendar } from '../../../src/core/schedule/oncalendar.js';

/** The next `count` matches after `after`, as ISO strings (milliseconds shown only when present). */
function matches(schedule: string, after: string, count: number, timeZone = 'UTC'): (string | null)[] {
  const parsed = parseOnCalendar(schedule);
  const found: (string | null)[] = [];
  let from = Date.parse(after);
  for (let i = 0; i < count; i++) {
    const next = parsed.nextAfter(from, timeZone);
    found.push(next === null ? null : new Date(next).toISOString().replace('.000Z', 'Z'));
    if (next === null) break;
    from = next;
  }
  return found;
}

function next(schedule: string, after: string, timeZone = 'UTC'): string | null {
  return matches(schedule, after, 1, timeZone)[0] ?? null;
}

// The examples of man systemd.time's table of normalized forms, with the first matches systemd 252
// reports for them (systemd-analyze calendar --iterations=3).
describe('the examples in systemd.time', () => {
  it.each([
    // [expression, // its normalized form
    //  after, its first matches]
    [
      'Sat,Thu,Mon..Wed,Sat..Sun', // Mon..Thu,Sat,Sun *-*-* 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', '2024-01-04T00:00:00Z'],
    ],
    [
      'Mon,Sun 12-*-* 2,1:23', // Mon,Sun 2012-*-* 01,02:23:00
      '2000-01-01T00:00:00Z',
      ['2012-01-01T01:23:00Z', '2012-01-01T02:23:00Z', '2012-01-02T01:23:00Z'],
    ],
    [
      'Wed *-1', // Wed *-*-01 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-05-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-10-01T00:00:00Z'],
    ],
    [
      'Wed..Wed,Wed *-1', // Wed *-*-01 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-05-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-10-01T00:00:00Z'],
    ],
    [
      'Wed, 17:48', // Wed *-*-* 17:48:00
      '2024-01-01T00:00:00Z',
      ['2024-01-03T17:48:00Z', '2024-01-10T17:48:00Z', '2024-01-17T17:48:00Z'],
    ],
    [
      '*-*-7 0:0:0', // *-*-07 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-01-07T00:00:00Z', '2024-02-07T00:00:00Z', '2024-03-07T00:00:00Z'],
    ],
    [
      '10-15', // *-10-15 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-10-15T00:00:00Z', '2025-10-15T00:00:00Z', '2026-10-15T00:00:00Z'],
    ],
    [
      'monday *-12-* 17:00', // Mon *-12-* 17:00:00
      '2024-01-01T00:00:00Z',
      ['2024-12-02T17:00:00Z', '2024-12-09T17:00:00Z', '2024-12-16T17:00:00Z'],
    ],
    [
      'Mon,Fri *-*-3,1,2 *:30:45', // Mon,Fri *-*-01,02,03 *:30:45
      '2024-01-01T00:00:00Z',
      ['2024-01-01T00:30:45Z', '2024-01-01T01:30:45Z', '2024-01-01T02:30:45Z'],
    ],
    [
      '12,14,13,12:20,10,30', // *-*-* 12,13,14:10,20,30:00
      '2024-01-01T00:00:00Z',
      ['2024-01-01T12:10:00Z', '2024-01-01T12:20:00Z', '2024-01-01T12:30:00Z'],
    ],
    [
      '12..14:10,20,30', // *-*-* 12..14:10,20,30:00
      '2024-01-01T14:25:00Z',
      ['2024-01-01T14:30:00Z', '2024-01-02T12:10:00Z', '2024-01-02T12:20:00Z'],
    ],
    [
      'mon,fri *-1/2-1,3 *:30:45', // Mon,Fri *-01/2-01,03 *:30:45
      '2024-01-01T23:59:00Z',
      ['2024-03-01T00:30:45Z', '2024-03-01T01:30:45Z', '2024-03-01T02:30:45Z'],
    ],
    [
      '03-05 08:05:40', // *-03-05 08:05:40
      '2024-01-01T00:00:00Z',
      ['2024-03-05T08:05:40Z', '2025-03-05T08:05:40Z', '2026-03-05T08:05:40Z'],
    ],
    [
      '08:05:40', // *-*-* 08:05:40
      '2024-01-01T00:00:00Z',
      ['2024-01-01T08:05:40Z', '2024-01-02T08:05:40Z', '2024-01-03T08:05:40Z'],
    ],
    [
      '05:40', // *-*-* 05:40:00
      '2024-01-01T00:00:00Z',
      ['2024-01-01T05:40:00Z', '2024-01-02T05:40:00Z', '2024-01-03T05:40:00Z'],
    ],
    [
      'Sat,Sun 12-05 08:05:40', // Sat,Sun *-12-05 08:05:40
      '2024-01-01T00:00:00Z',
      ['2026-12-05T08:05:40Z', '2027-12-05T08:05:40Z', '2032-12-05T08:05:40Z'],
    ],
    [
      'Sat,Sun 08:05:40', // Sat,Sun *-*-* 08:05:40
      '2024-01-01T00:00:00Z',
      ['2024-01-06T08:05:40Z', '2024-01-07T08:05:40Z', '2024-01-13T08:05:40Z'],
    ],
    [
      '2003-03-05 05:40', // 2003-03-05 05:40:00
      '2000-01-01T00:00:00Z',
      ['2003-03-05T05:40:00Z', null],
    ],
    [
      '05:40:23.4200004/3.1700005', // *-*-* 05:40:23.420000/3.170001
      '2024-01-01T00:00:00Z',
      ['2024-01-01T05:40:23.420Z', '2024-01-01T05:40:26.590Z', '2024-01-01T05:40:29.760Z'],
    ],
    [
      '2003-02..04-05', // 2003-02..04-05 00:00:00
      '2000-01-01T00:00:00Z',
      ['2003-02-05T00:00:00Z', '2003-03-05T00:00:00Z', '2003-04-05T00:00:00Z'],
    ],
    [
      '2003-03-05 05:40 UTC', // 2003-03-05 05:40:00 UTC
      '2000-01-01T00:00:00Z',
      ['2003-03-05T05:40:00Z', null],
    ],
    [
      '2003-03-05', // 2003-03-05 00:00:00
      '2000-01-01T00:00:00Z',
      ['2003-03-05T00:00:00Z', null],
    ],
    [
      '03-05', // *-03-05 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-03-05T00:00:00Z', '2025-03-05T00:00:00Z', '2026-03-05T00:00:00Z'],
    ],
    [
      'hourly', // *-*-* *:00:00
      '2024-01-01T00:00:00Z',
      ['2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z', '2024-01-01T03:00:00Z'],
    ],
    [
      'monthly', // *-*-01 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z'],
    ],
    [
      'weekly', // Mon *-*-* 00:00:00
      '2024-01-01T00:00:00Z',
      ['2024-01-08T00:00:00Z', '2024-01-15T00:00:00Z', '2024-01-22T00:00:00Z'],
    ],
    [
      'yearly', // *-01-01 00:00:00
      '2024-01-01T00:00:00Z',
      ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ],
    [
      'annually', // *-01-01 00:00:00
      '2024-01-01T00:00:00Z',
      ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ],
    [
      '*:2/3', // *-*-* *:02/3:00
      '2024-01-01T00:00:00Z',
      ['2024-01-01T00:02:00Z', '2024-01-01T00:05:00Z', '2024-01-01T00:08:00Z'],
    ],
  ])('%j', (expression, after, expected) => {
    expect(matches(expression, after, 3)).toEqual(expected);
  });

  it('parses an expression that can never match (2012-10-15 is a Monday)', () => {
    expect(next('Wed..Sat,Tue 12-10-15 1:2:3', '2000-01-01T00:00:00Z')).toBeNull();
  });
});

describe('OnCalendar syntax', () => {
  it.each([
    ['minutely', ['2024-01-01T00:01:00Z', '2024-01-01T00:02:00Z']],
    ['daily', ['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']],
    ['quarterly', ['2024-04-01T00:00:00Z', '2024-07-01T00:00:00Z']],
    ['semiannually', ['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z']],
    ['DAILY', ['2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']],
  ])('reads the shorthand %j', (expression, expected) => {
    expect(matches(expression, '2024-01-01T00:00:00Z', 2)).toEqual(expected);
  });

  it('reads "~1" as the last day of the month', () => {
    expect(matches('*-*~1 12:00', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-31T12:00:00Z',
      '2024-02-29T12:00:00Z',
      '2024-03-31T12:00:00Z',
    ]);
  });

  it('reads "<month>~<n>" as the nth-last day of that month', () => {
    expect(matches('*-02~03', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-02-27T00:00:00Z', '2025-02-26T00:00:00Z']);
  });

  it('repeats "~" days towards the end of the month', () => {
    // The last seven days of May, on a Monday: the last Monday of May.
    expect(matches('Mon *-05~07/1', '2024-01-01T00:00:00Z', 2)).toEqual([
      '2024-05-27T00:00:00Z',
      '2025-05-26T00:00:00Z',
    ]);
    expect(matches('*-*~1..7/2', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-25T00:00:00Z',
      '2024-01-27T00:00:00Z',
      '2024-01-29T00:00:00Z',
    ]);
  });

  it('reads a "~" range as the last few days', () => {
    expect(matches('*-*~1..3', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-29T00:00:00Z',
      '2024-01-30T00:00:00Z',
      '2024-01-31T00:00:00Z',
    ]);
  });

  it('repeats a value up to the end of its field', () => {
    expect(matches('*-*-1/10', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-11T00:00:00Z',
      '2024-01-21T00:00:00Z',
      '2024-01-31T00:00:00Z',
    ]);
  });

  it('repeats years', () => {
    expect(matches('2020/2-1-1', '2024-01-01T00:00:00Z', 2)).toEqual(['2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z']);
  });

  it('reads two-digit years as 1970-2069', () => {
    expect(next('69-1-1', '2024-01-01T00:00:00Z')).toBe('2069-01-01T00:00:00Z');
    expect(next('70-1-1', '1969-01-01T00:00:00Z')).toBe('1970-01-01T00:00:00Z');
  });

  it('reads a star in the seconds as every second', () => {
    expect(matches('*-*-* *:*:*', '2024-01-01T00:00:00.500Z', 2)).toEqual([
      '2024-01-01T00:00:01Z',
      '2024-01-01T00:00:02Z',
    ]);
  });

  it('accepts "*/N" like Healthchecks does', () => {
    expect(matches('*:*/15', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-01T00:15:00Z', '2024-01-01T00:30:00Z']);
  });

  it('accepts weekday ranges written with a dash', () => {
    expect(next('SAT-SUN 10:00', '2024-01-01T00:00:00Z')).toBe('2024-01-06T10:00:00Z');
  });

  it('accepts the full weekday names', () => {
    expect(next('Monday..Tuesday 10:00', '2024-01-01T12:00:00Z')).toBe('2024-01-02T10:00:00Z');
  });

  it('matches strictly after the given instant', () => {
    expect(next('12:00', '2024-01-01T12:00:00Z')).toBe('2024-01-02T12:00:00Z');
    expect(next('12:00', '2024-01-01T11:59:59.999Z')).toBe('2024-01-01T12:00:00Z');
  });

  it('stops at the year 2200', () => {
    // 2199 is not a leap year.
    expect(next('*-2-29', '2197-01-01T00:00:00Z')).toBeNull();
    expect(next('2199-12-31 23:59:59', '2199-01-01T00:00:00Z')).toBe('2199-12-31T23:59:59Z');
  });

  it.each([
    '',
    'garbage',
    'Mond',
    'Mon,,Tue',
    'Mon-',
    'Wed..Mon',
    'Mon..Tue..Wed',
    '* 12:00',
    '*-*~29',
    '*-*~07..01',
    '*-*-* 24:00',
    '*-*-* 0:60',
    '00:00:60',
    '*-*-32',
    '*-13-1',
    '*-*-0',
    '1969-1-1',
    '2200-1-1',
    '1-1-1-1',
    '12:00:00:00',
    '12',
    '12:00 Mars/Olympus_Mons',
    '12:00 europe/riga',
    '*:*:0/0',
    '1.5:00',
    '*,5:00',
    '2024-1-1 Mon',
  ])('rejects %j', (expression) => {
    expect(() => parseOnCalendar(expression)).toThrow(InvalidScheduleError);
  });
});

describe('OnCalendar time zones', () => {
  it('evaluates in the given zone', () => {
    expect(next('12:00', '2024-01-01T00:00:00Z', 'Europe/Riga')).toBe('2024-01-01T10:00:00Z');
  });

  it('prefers the zone written at the end of the line', () => {
    expect(next('12:00 America/New_York', '2024-01-01T00:00:00Z', 'Europe/Riga')).toBe('2024-01-01T17:00:00Z');
  });

  it('accepts UTC in any case, legacy zone names and shorthands with a zone', () => {
    expect(next('12:00 utc', '2024-01-01T00:00:00Z', 'Europe/Riga')).toBe('2024-01-01T12:00:00Z');
    expect(next('12:00 US/Eastern', '2024-01-01T00:00:00Z')).toBe('2024-01-01T17:00:00Z');
    expect(next('daily Europe/Riga', '2024-01-01T00:00:00Z')).toBe('2024-01-01T22:00:00Z');
  });

  // Europe/Riga: 03:00 EET → 04:00 EEST at 2023-03-26T01:00Z, 04:00 EEST → 03:00 EET at 2023-10-29T01:00Z.
  it('does not run a wall time skipped by the spring-forward jump', () => {
    expect(next('03:30', '2023-03-25T23:00:00Z', 'Europe/Riga')).toBe('2023-03-27T00:30:00Z');
    expect(matches('3,4:10', '2023-03-25T23:00:00Z', 2, 'Europe/Riga')).toEqual([
      '2023-03-26T01:10:00Z',
      '2023-03-27T00:10:00Z',
    ]);
  });

  it('runs a wall time repeated by the fall-back at its first occurrence', () => {
    expect(matches('03:30', '2023-10-28T23:00:00Z', 2, 'Europe/Riga')).toEqual([
      '2023-10-29T00:30:00Z',
      '2023-10-30T01:30:00Z',
    ]);
  });

  it('does not repeat the hour for minute-level schedules', () => {
    expect(matches('*:*:00', '2023-10-29T00:58:00Z', 2, 'Europe/Riga')).toEqual([
      '2023-10-29T00:59:00Z',
      '2023-10-29T02:00:00Z',
    ]);
  });

  it('runs at the second occurrence when asked from within the repeated hour', () => {
    expect(next('03:45', '2023-10-29T01:30:00Z', 'Europe/Riga')).toBe('2023-10-29T01:45:00Z');
    expect(next('*:*:00', '2023-10-29T01:30:00Z', 'Europe/Riga')).toBe('2023-10-29T01:31:00Z');
  });

  it('handles the jumps of America/New_York and Australia/Sydney', () => {
    expect(next('02:30', '2024-03-10T05:00:00Z', 'America/New_York')).toBe('2024-03-11T06:30:00Z');
    expect(next('01:30', '2024-11-03T05:10:00Z', 'America/New_York')).toBe('2024-11-03T05:30:00Z');
    expect(next('02:15', '2024-10-05T15:00:00Z', 'Australia/Sydney')).toBe('2024-10-06T15:15:00Z');
    expect(next('02:45', '2024-04-06T15:20:00Z', 'Australia/Sydney')).toBe('2024-04-06T15:45:00Z');
  });
});

describe('schedules of several lines', () => {
  it('fires at the earliest match of any line', () => {
    const schedule = '12:00 Europe/Riga\n12:00 America/New_York\n08:00';
    expect(matches(schedule, '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-01T08:00:00Z',
      '2024-01-01T10:00:00Z',
      '2024-01-01T17:00:00Z',
      '2024-01-02T08:00:00Z',
    ]);
  });

  it('evaluates lines without a zone in the given zone', () => {
    expect(matches('12:00 UTC\n12:00', '2024-01-01T00:00:00Z', 2, 'Asia/Tokyo')).toEqual([
      '2024-01-01T03:00:00Z',
      '2024-01-01T12:00:00Z',
    ]);
  });

  it('keeps going when one line has no more matches', () => {
    expect(matches('2024-01-01 06:00\nMon 12:00', '2024-01-01T00:00:00Z', 2)).toEqual([
      '2024-01-01T06:00:00Z',
      '2024-01-01T12:00:00Z',
    ]);
    expect(next('2020-01-01\n2021-01-01', '2024-01-01T00:00:00Z')).toBeNull();
  });

  it('trims the schedule and each line', () => {
    expect(next('  \n 12:00  \r\n  13:00 \n', '2024-01-01T12:30:00Z')).toBe('2024-01-01T13:00:00Z');
  });

  it('rejects a schedule with an empty or invalid line', () => {
    expect(() => parseOnCalendar('12:00\n\n13:00')).toThrow(InvalidScheduleError);
    expect(() => parseOnCalendar('12:00\nnonsense')).toThrow(InvalidScheduleError);
  });
});
