// Cron schedules: five fields (minute hour day-of-month month day-of-week) with Debian cron's
// semantics, as Healthchecks' cronsim implements them.
//
// Written here rather than wrapping a library. croner 11 and cron-parser 5 were tested against
// these rules and both differ: they OR day-of-month and day-of-week unless one of them is exactly
// "*", where Debian ANDs them whenever either field merely starts with "*" ("0 0 */2 * 1",
// "0 0 1-7 * */7"); croner accepts syntax cronsim rejects (W, ?, MON-SUN) and returns no run
// instead of an error for "0 0 31 2 *"; cron-parser has no LW and runs a fixed time skipped by a
// spring-forward jump at the skipped time plus an hour rather than right after the jump. Wrapping
// either would still need a parser of our own for validation, and their next-run calls cost
// 70-115 µs against a few µs here.
import { dayOfWeek, daysInMonth, MINUTE_MS, yearOf } from './civil-time.js';
import { cached } from './bounded-cache.js';
import { InvalidScheduleError } from './errors.js';
import { zoneClock, type ZoneClock } from './time-zone.js';
import { nextWallTime, type WallTimePattern } from './wall-time-search.js';

export interface CronSchedule {
  /** The first match strictly after `after` (epoch ms) in `timeZone`, or null if none within 50 years. */
  nextAfter(after: number, timeZone: string): number | null;
}

/** Parses (once per distinct expression) or throws InvalidScheduleError. */
export const parseCron: (expression: string) => CronSchedule = cached(1000, compileCron);

// Like cronsim, give up when the search reaches more than 50 years past its start.
const HORIZON_YEARS = 50;

interface Field {
  name: string;
  min: number;
  max: number;
  /** Names standing for min, min + 1, … */
  symbols?: readonly string[];
}

const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = {
  name: 'month',
  min: 1,
  max: 12,
  symbols: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
// 0 and 7 are both Sunday.
const DAY_OF_WEEK: Field = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  symbols: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};

/** The longest each month can be, so that "0 0 29 2 *" is valid and "0 0 30 2 *" is not. */
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A weekday (0-6, Sunday first) in a given week of the month (1-5), or the last one of the month. */
interface NthWeekday {
  weekday: number;
  nth: number | 'last';
}

/** What one comma-separated term of a field stands for. */
type Term = number | 'last-day' | 'last-weekday' | NthWeekday;

class FieldError extends Error {}

function compileCron(expression: string): CronSchedule {
  try {
    return new CompiledCron(expression);
  } catch (error) {
    if (error instanceof FieldError) throw new InvalidScheduleError(expression, error.message);
    throw error;
  }
}

class CompiledCron implements CronSchedule, WallTimePattern {
  readonly years = null;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  readonly msOfMinute = [0];
  private readonly daysOfMonth: ReadonlySet<Term>;
  private readonly daysOfWeek: readonly Term[];
  /** Debian ANDs the two day fields when either starts with "*", and ORs them otherwise. */
  private readonly bothDayFieldsMustMatch: boolean;
  /** Fixed times get Debian's DST handling; "*" in the minute or hour field runs on real instants. */
  private readonly isFixedTime: boolean;

  constructor(expression: string) {
    const parts = expression.toUpperCase().split(/\s+/).filter((part) => part !== '');
    const [minute, hour, dayOfMonth, month, weekday] = parts;
    if (parts.length !== 5 || !minute || !hour || !dayOfMonth || !month || !weekday) {
      throw new FieldError('Wrong number of fields');
    }
    this.minutes = numbersOf(parseField(MINUTE, minute));
    this.hours = numbersOf(parseField(HOUR, hour));
    this.daysOfMonth = new Set(parseField(DAY_OF_MONTH, dayOfMonth));
    this.months = numbersOf(parseField(MONTH, month));
    this.daysOfWeek = parseField(DAY_OF_WEEK, weekday).map((term) => (term === 7 ? 0 : term));
    this.bothDayFieldsMustMatch = dayOfMonth.startsWith('*') || weekday.startsWith('*');
    this.isFixedTime = !minute.startsWith('*') && !hour.startsWith('*');
    this.rejectImpossibleDays();
  }

  nextAfter(after: number, timeZone: string): number | null {
    const clock = zoneClock(timeZone);
    return this.isFixedTime ? this.nextFixedTime(after, clock) : this.nextInstant(after, clock);
  }

  matchesDay(year: number, month: number, day: number): boolean {
    if (this.bothDayFieldsMustMatch) {
      return this.matchesDayOfMonth(year, month, day) && this.matchesDayOfWeek(year, month, day);
    }
    return this.matchesDayOfMonth(year, month, day) || this.matchesDayOfWeek(year, month, day);
  }

  /**
   * Debian cron for fixed times: a wall time skipped by a spring-forward jump runs right after the
   * jump, and a wall time repeated by a fall-back runs once, at its first occurrence.
   */
  private nextFixedTime(after: number, clock: ZoneClock): number | null {
    let from = floorToMinute(clock.wallTimeAt(after)) + MINUTE_MS;
    const lastYear = yearOf(from) + HORIZON_YEARS;
    for (;;) {
      const wall = nextWallTime(this, from, lastYear);
      if (wall === null) return null;
      const [firstOccurrence] = clock.instantsAtWallTime(wall);
      const instant = firstOccurrence ?? clock.jumpOver(wall);
      // Only a repeated wall time whose first occurrence has passed can fail this.
      if (instant > after) return instant;
      from = wall + MINUTE_MS;
    }
  }

  /** Every real instant whose local time matches: skipped times never run, repeated ones run twice. */
  private nextInstant(after: number, clock: ZoneClock): number | null {
    const lastYear = yearOf(floorToMinute(clock.wallTimeAt(after)) + MINUTE_MS) + HORIZON_YEARS;
    // Search one stretch of constant offset at a time, where wall time runs with real time.
    let stretchStart = after + 1;
    for (;;) {
      const offset = clock.offsetAt(stretchStart);
      const stretchEnd = clock.nextOffsetChange(stretchStart);
      const wall = nextWallTime(this, stretchStart + offset, lastYear);
      if (wall === null) return null;
      if (wall - offset < stretchEnd) return wall - offset;
      stretchStart = stretchEnd;
    }
  }

  private matchesDayOfMonth(year: number, month: number, day: number): boolean {
    if (this.daysOfMonth.has(day)) return true;
    const lastDay = daysInMonth(year, month);
    return (
      (this.daysOfMonth.has('last-day') && day === lastDay) ||
      (this.daysOfMonth.has('last-weekday') && day === lastWeekdayOfMonth(year, month, lastDay))
    );
  }

  private matchesDayOfWeek(year: number, month: number, day: number): boolean {
    const weekday = dayOfWeek(year, month, day);
    return this.daysOfWeek.some((term) => {
      if (typeof term === 'number') return term === weekday;
      if (typeof term === 'string' || term.weekday !== weekday) return false;
      return term.nth === 'last' ? day + 7 > daysInMonth(year, month) : Math.ceil(day / 7) === term.nth;
    });
  }

  /** cronsim rejects a day-of-month that none of the listed months has, e.g. "0 0 31 2 *". */
  private rejectImpossibleDays(): void {
    const days = [...this.daysOfMonth];
    if (!days.every((term): term is number => typeof term === 'number')) return;
    const longestListedMonth = Math.max(...this.months.map((month) => LONGEST_MONTH[month - 1] ?? 31));
    if (Math.min(...days) > longestListedMonth) throw new FieldError(`Bad ${DAY_OF_MONTH.name}`);
  }
}

function parseField(field: Field, text: string): Term[] {
  return text.split(',').flatMap((term) => parseTerm(field, term));
}

function parseTerm(field: Field, term: string): Term[] {
  if (term === '*') return range(field.min, field.max, 1);
  if (field === DAY_OF_WEEK && term.includes('L')) {
    // "5L": the last Friday of the month. Only digits may precede the L.
    const weekday = term.slice(0, -1);
    if (!/^[0-9]+$/.test(weekday)) throw badField(field);
    return [{ weekday: parseValue(field, weekday) % 7, nth: 'last' }];
  }
  if (field === DAY_OF_WEEK && term.includes('#')) {
    // "MON#2": the second Monday of the month.
    const [weekday, nth] = splitOnce(term, '#');
    const n = parseNumber(field, nth);
    if (n < 1 || n > 5) throw badField(field);
    return [{ weekday: parseValue(field, weekday) % 7, nth: n }];
  }
  if (term.includes('/')) return parseStep(field, term);
  if (term.includes('-')) {
    const [start, end] = parseRange(field, term);
    return range(start, end, 1);
  }
  if (field === DAY_OF_MONTH && term === 'L') return ['last-day'];
  if (field === DAY_OF_MONTH && term === 'LW') return ['last-weekday'];
  return [parseValue(field, term)];
}

/** "*\/15", "0-30/10", and "5/15" (from 5 to the field's maximum). */
function parseStep(field: Field, term: string): Term[] {
  const [base, stepText] = splitOnce(term, '/');
  const step = parseNumber(field, stepText);
  if (step === 0) throw badField(field);
  // cronsim reads "L/2" as plain "L".
  if (field === DAY_OF_MONTH && base === 'L') return ['last-day'];
  if (base === '*') return range(field.min, field.max, step);
  if (base.includes('-')) {
    const [start, end] = parseRange(field, base);
    return range(start, end, step);
  }
  return range(parseValue(field, base), field.max, step);
}

function parseRange(field: Field, text: string): [number, number] {
  const [startText, endText] = splitOnce(text, '-');
  const start = parseValue(field, startText);
  const end = parseValue(field, endText);
  if (end < start) throw badField(field);
  return [start, end];
}

/** A number or a name (JAN, MON) within the field's range. */
function parseValue(field: Field, text: string): number {
  const symbol = field.symbols?.indexOf(text) ?? -1;
  if (symbol >= 0) return field.min + symbol;
  const value = parseNumber(field, text);
  if (value < field.min || value > field.max) throw badField(field);
  return value;
}

function parseNumber(field: Field, text: string): number {
  if (!/^[0-9]+$/.test(text)) throw badField(field);
  return Number(text);
}

function badField(field: Field): FieldError {
  return new FieldError(`Bad ${field.name}`);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function range(start: number, end: number, step: number): number[] {
  const values: number[] = [];
  for (let value = start; value <= end; value += step) values.push(value);
  return values;
}

function numbersOf(terms: readonly Term[]): number[] {
  const numbers = terms.filter((term): term is number => typeof term === 'number');
  return [...new Set(numbers)].sort((a, b) => a - b);
}

function lastWeekdayOfMonth(year: number, month: number, lastDay: number): number {
  const weekday = dayOfWeek(year, month, lastDay);
  if (weekday === 6) return lastDay - 1;
  if (weekday === 0) return lastDay - 2;
  return lastDay;
}

function floorToMinute(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}
