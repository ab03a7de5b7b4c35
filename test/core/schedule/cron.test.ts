import { describe, expect, it } from 'vitest';
import { parseCron } from '../../../src/core/schedule/cron.js';
import { InvalidScheduleError } from '../../../src/core/schedule/errors.js';

/** The next `count` matches after `after`, as ISO strings without milliseconds. */
function matches(expression: string, after: string, count: number, timeZone = 'UTC'): (string | null)[] {
  const schedule = parseCron(expression);
  const found: (string | null)[] = [];
  let from = Date.parse(after);
  for (let i = 0; i < count; i++) {
    const next = schedule.nextAfter(from, timeZone);
    found.push(next === null ? null : new Date(next).toISOString().replace('.000Z', 'Z'));
    if (next === null) break;
    from = next;
  }
  return found;
}

function next(expression: string, after: string, timeZone = 'UTC'): string | null {
  return matches(expression, after, 1, timeZone)[0] ?? null;
}

describe('cron fields', () => {
  it('matches every minute with stars', () => {
    expect(next('* * * * *', '2024-01-01T00:00:30Z')).toBe('2024-01-01T00:01:00Z');
  });

  it('skips a match in the same minute as the given instant', () => {
    expect(next('0 0 * * *', '2024-01-01T00:00:00Z')).toBe('2024-01-02T00:00:00Z');
    expect(next('0 0 * * *', '2024-01-01T00:00:59.999Z')).toBe('2024-01-02T00:00:00Z');
  });

  it('returns a match one millisecond away', () => {
    expect(next('0 0 * * *', '2024-01-01T23:59:59.999Z')).toBe('2024-01-02T00:00:00Z');
  });

  it('reads lists', () => {
    expect(matches('5,10,15 * * * *', '2024-01-01T00:06:00Z', 3)).toEqual([
      '2024-01-01T00:10:00Z',
      '2024-01-01T00:15:00Z',
      '2024-01-01T01:05:00Z',
    ]);
  });

  it('reads ranges', () => {
    expect(next('0 9-17 * * *', '2024-01-01T17:30:00Z')).toBe('2024-01-02T09:00:00Z');
  });

  it('reads a step over the whole field', () => {
    expect(matches('*/20 * * * *', '2024-01-01T00:16:00Z', 3)).toEqual([
      '2024-01-01T00:20:00Z',
      '2024-01-01T00:40:00Z',
      '2024-01-01T01:00:00Z',
    ]);
  });

  it('reads a step from a start value to the end of the field', () => {
    expect(matches('5/20 * * * *', '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-01T00:05:00Z',
      '2024-01-01T00:25:00Z',
      '2024-01-01T00:45:00Z',
      '2024-01-01T01:05:00Z',
    ]);
  });

  it('reads a step over a range', () => {
    expect(matches('0-30/10 * * * *', '2024-01-01T00:21:00Z', 2)).toEqual([
      '2024-01-01T00:30:00Z',
      '2024-01-01T01:00:00Z',
    ]);
  });

  it('reads month names in any case', () => {
    expect(next('0 0 1 jan,Jul *', '2024-02-01T00:00:00Z')).toBe('2024-07-01T00:00:00Z');
  });

  it('reads weekday names and ranges of them', () => {
    // 2024-01-05 is a Friday.
    expect(next('0 0 * * mon-FRI', '2024-01-05T12:00:00Z')).toBe('2024-01-08T00:00:00Z');
  });

  it('takes both 0 and 7 as Sunday', () => {
    expect(next('0 0 * * 0', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00Z');
    expect(next('0 0 * * 7', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00Z');
    expect(next('0 0 * * SUN', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00Z');
  });

  it('starts a weekday step at Sunday', () => {
    // 0, 2, 4, 6: Sunday, Tuesday, Thursday, Saturday.
    expect(matches('0 0 * * */2', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-02T00:00:00Z',
      '2024-01-04T00:00:00Z',
      '2024-01-06T00:00:00Z',
    ]);
  });

  it('reads L in day-of-month as the last day of the month', () => {
    expect(matches('0 0 L * *', '2023-02-01T00:00:00Z', 2)).toEqual(['2023-02-28T00:00:00Z', '2023-03-31T00:00:00Z']);
    expect(next('0 0 l * *', '2024-02-01T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
  });

  it('reads LW as the last weekday of the month', () => {
    // 2024-08-31 is a Saturday and 2024-03-31 a Sunday.
    expect(next('0 0 LW * *', '2024-08-01T00:00:00Z')).toBe('2024-08-30T00:00:00Z');
    expect(next('0 0 LW * *', '2024-03-01T00:00:00Z')).toBe('2024-03-29T00:00:00Z');
    expect(next('0 0 LW * *', '2024-07-01T00:00:00Z')).toBe('2024-07-31T00:00:00Z');
  });

  it('reads <weekday>L as the last such weekday of the month', () => {
    expect(matches('1 1 * * 5L', '2020-01-01T00:00:00Z', 4)).toEqual([
      '2020-01-31T01:01:00Z',
      '2020-02-28T01:01:00Z',
      '2020-03-27T01:01:00Z',
      '2020-04-24T01:01:00Z',
    ]);
  });

  it('reads both 0L and 7L as the last Sunday', () => {
    expect(next('1 1 * * 0L', '2020-01-01T00:00:00Z')).toBe('2020-01-26T01:01:00Z');
    expect(next('1 1 * * 7L', '2020-01-01T00:00:00Z')).toBe('2020-01-26T01:01:00Z');
  });

  it('reads <weekday>#<n> as the nth such weekday of the month', () => {
    expect(next('1 1 * * 1#2', '2020-01-01T00:00:00Z')).toBe('2020-01-13T01:01:00Z');
    expect(next('1 1 * * MON#2', '2020-01-01T00:00:00Z')).toBe('2020-01-13T01:01:00Z');
  });

  it('finds a fifth Monday in February decades away', () => {
    expect(next('0 0 * 2 MON#5', '2024-01-01T00:00:00Z')).toBe('2044-02-29T00:00:00Z');
  });

  it('runs 29 February only in leap years', () => {
    expect(next('0 0 29 2 *', '2024-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00Z');
  });

  it('gives up when nothing matches within 50 years', () => {
    // The first of the month is never its fourth Monday.
    expect(next('1 1 */100 * MON#4', '2020-01-01T00:00:00Z')).toBeNull();
  });
});

describe('day-of-month and day-of-week', () => {
  it('ORs the two fields when neither starts with a star', () => {
    // The 1st of the month or any Monday: Monday 2024-01-08, then Thursday 2024-02-01.
    expect(next('0 0 1 * MON', '2024-01-02T00:00:00Z')).toBe('2024-01-08T00:00:00Z');
    expect(next('0 0 1 * MON', '2024-01-29T01:00:00Z')).toBe('2024-02-01T00:00:00Z');
  });

  it('ANDs the two fields when day-of-month starts with a star', () => {
    // Odd days that are Mondays: 2024-01-01, 2024-01-15, 2024-01-29.
    expect(matches('0 0 */2 * MON', '2024-01-01T00:00:00Z', 2)).toEqual([
      '2024-01-15T00:00:00Z',
      '2024-01-29T00:00:00Z',
    ]);
    expect(next('1 1 */100,1-7 * MON', '2020-01-01T00:00:00Z')).toBe('2020-01-06T01:01:00Z');
  });

  it('ANDs the two fields when day-of-week starts with a star', () => {
    // Days 1-7 that are Sundays: the first Sunday of each month.
    expect(matches('1 1 1-7 * */7', '2020-01-01T00:00:00Z', 3)).toEqual([
      '2020-01-05T01:01:00Z',
      '2020-02-02T01:01:00Z',
      '2020-03-01T01:01:00Z',
    ]);
  });

  it('restricts to the given weekdays when day-of-month is a star', () => {
    expect(next('0 0 * * 1', '2024-01-02T00:00:00Z')).toBe('2024-01-08T00:00:00Z');
  });
});

describe('invalid expressions', () => {
  it.each([
    ['0 0 31 2 *', 'Bad day-of-month'],
    ['0 0 30 2 *', 'Bad day-of-month'],
    ['0 0 31 4,6 *', 'Bad day-of-month'],
    ['61 * * * *', 'Bad minute'],
    ['* 24 * * *', 'Bad hour'],
    ['* * 0 * *', 'Bad day-of-month'],
    ['* * * 13 *', 'Bad month'],
    ['* * * * 8', 'Bad day-of-week'],
    ['garbage', 'Wrong number of fields'],
    ['* * * *', 'Wrong number of fields'],
    ['* * * * * *', 'Wrong number of fields'],
  ])('rejects %j (%s)', (expression, reason) => {
    expect(() => parseCron(expression)).toThrow(new InvalidScheduleError(expression, reason));
  });

  it.each([
    '*/0 * * * *',
    '5-1 * * * *',
    '1-1_0 * * * *',
    '-1 * * * *',
    '/2 * * * *',
    '2/ * * * *',
    '1//2 * * * *',
    '1,,2 * * * *',
    '¹ * * * *',
    '* * * JANUARY *',
    '* * * * MON-SUN',
    '* * * * 1#0',
    '* * * * 1#6',
    '* * * * 1##1',
    '* * * * MONL',
    '* * * * 5L-6',
    '* * * * 5L#1',
    '* * * * 5L/3',
    '* * 15W * *',
    '* * ? * *',
  ])('rejects the malformed field in %j', (expression) => {
    expect(() => parseCron(expression)).toThrow(InvalidScheduleError);
  });

  it('accepts a day that only some listed months have', () => {
    expect(next('0 0 31 2,3 *', '2024-01-01T00:00:00Z')).toBe('2024-03-31T00:00:00Z');
  });
});

describe('time zones', () => {
  it('evaluates the fields in the given zone', () => {
    // Brisbane is UTC+10 all year.
    expect(next('0 10 * * *', '2000-01-01T00:00:00Z', 'Australia/Brisbane')).toBe('2000-01-02T00:00:00Z');
  });

  it('counts the 50 years in local time', () => {
    expect(next('0 0 1 1 *', '2024-06-01T00:00:00Z', 'Europe/Riga')).toBe('2024-12-31T22:00:00Z');
  });

  // Europe/Riga: clocks went 03:00 EET → 04:00 EEST at 2023-03-26T01:00Z and
  // 04:00 EEST → 03:00 EET at 2023-10-29T01:00Z.
  describe('Europe/Riga', () => {
    const zone = 'Europe/Riga';

    it('runs a fixed time skipped by the spring-forward jump right after the jump', () => {
      expect(matches('30 3 * * *', '2023-03-25T23:00:00Z', 2, zone)).toEqual([
        '2023-03-26T01:00:00Z',
        '2023-03-27T00:30:00Z',
      ]);
    });

    it('runs a skipped hour together with the first hour after the jump', () => {
      expect(matches('0 1-5 * * *', '2023-03-25T23:30:00Z', 3, zone)).toEqual([
        '2023-03-26T00:00:00Z',
        '2023-03-26T01:00:00Z',
        '2023-03-26T02:00:00Z',
      ]);
    });

    it('runs a fixed time repeated by the fall-back once, at its first occurrence', () => {
      expect(matches('30 3 * * *', '2023-10-28T23:00:00Z', 2, zone)).toEqual([
        '2023-10-29T00:30:00Z',
        '2023-10-30T01:30:00Z',
      ]);
    });

    it('does not run a repeated fixed time again when asked during its second occurrence', () => {
      expect(next('45 3 * * *', '2023-10-29T01:30:00Z', zone)).toBe('2023-10-30T01:45:00Z');
    });

    it('skips the missing hour for a star in the minute field', () => {
      expect(next('*/30 3 * * *', '2023-03-25T23:00:00Z', zone)).toBe('2023-03-27T00:00:00Z');
    });

    it('runs a star-hour expression in both occurrences of the repeated hour', () => {
      expect(matches('0 * * * *', '2023-10-28T23:30:00Z', 3, zone)).toEqual([
        '2023-10-29T00:00:00Z',
        '2023-10-29T01:00:00Z',
        '2023-10-29T02:00:00Z',
      ]);
      expect(next('15 * * * *', '2023-10-29T00:55:00Z', zone)).toBe('2023-10-29T01:15:00Z');
    });

    it('runs every real minute across the spring-forward jump', () => {
      expect(matches('* * * * *', '2023-03-26T00:58:00Z', 2, zone)).toEqual([
        '2023-03-26T00:59:00Z',
        '2023-03-26T01:00:00Z',
      ]);
    });
  });

  // America/New_York: 02:00 EST → 03:00 EDT at 2024-03-10T07:00Z, 02:00 EDT → 01:00 EST at 2024-11-03T06:00Z.
  describe('America/New_York', () => {
    const zone = 'America/New_York';

    it('runs a fixed time skipped in spring right after the jump', () => {
      expect(next('30 2 * * *', '2024-03-10T05:00:00Z', zone)).toBe('2024-03-10T07:00:00Z');
    });

    it('runs a fixed time repeated in autumn once', () => {
      expect(matches('30 1 * * *', '2024-11-03T04:00:00Z', 2, zone)).toEqual([
        '2024-11-03T05:30:00Z',
        '2024-11-04T06:30:00Z',
      ]);
    });

    it('skips the missing hour for a star in the minute field', () => {
      expect(next('*/15 2 * * *', '2024-03-10T06:50:00Z', zone)).toBe('2024-03-11T06:00:00Z');
    });

    it('runs a star-hour expression in the second occurrence of the repeated hour', () => {
      expect(next('30 * * * *', '2024-11-03T05:40:00Z', zone)).toBe('2024-11-03T06:30:00Z');
    });
  });

  // Australia/Sydney: 02:00 AEST → 03:00 AEDT at 2024-10-05T16:00Z, 03:00 AEDT → 02:00 AEST at 2024-04-06T16:00Z.
  describe('Australia/Sydney', () => {
    const zone = 'Australia/Sydney';

    it('runs a fixed time skipped in spring right after the jump', () => {
      expect(next('30 2 * * *', '2024-10-05T15:00:00Z', zone)).toBe('2024-10-05T16:00:00Z');
    });

    it('runs a fixed time repeated in autumn once', () => {
      expect(matches('30 2 * * *', '2024-04-06T14:00:00Z', 2, zone)).toEqual([
        '2024-04-06T15:30:00Z',
        '2024-04-07T16:30:00Z',
      ]);
    });

    it('skips the missing hour for a star in the minute field', () => {
      expect(next('*/20 2 * * *', '2024-10-05T15:50:00Z', zone)).toBe('2024-10-06T15:00:00Z');
    });

    it('runs a star-hour expression in the second occurrence of the repeated hour', () => {
      expect(next('30 * * * *', '2024-04-06T15:40:00Z', zone)).toBe('2024-04-06T16:30:00Z');
    });
  });
});
