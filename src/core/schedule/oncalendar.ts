// systemd OnCalendar schedules ("Calendar Events" in man systemd.time), as Healthchecks accepts
// them: one expression per line, each with an optional trailing time zone; the schedule's next
// match is the earliest of its lines'.
//
// The grammar follows systemd's calendarspec.c: [weekdays] [date] [time] [zone], with lists (","),
// ranges (".."), repetitions ("/"), "~" for days counted from the end of the month, fractional
// seconds and the shorthands (daily, weekly, …). Two extensions accept what Healthchecks accepts and
// systemd doesn't: "*/N" (every N from the field's minimum) and repetitions larger than the field.
//
// Time zones behave as in systemd: a wall time skipped by a spring-forward jump doesn't run, and
// one repeated by a fall-back runs at its first occurrence unless the search starts between the
// two, in which case it runs at the second.
import { dayOfWeek, daysInMonth } from './civil-time.js';
import { cached } from './bounded-cache.js';
import { InvalidScheduleError } from './errors.js';
import { isValidTimeZone, normaliseTimeZone } from './time-zone-names.js';
import { zoneClock } from './time-zone.js';
import { nextWallTime, type WallTimePattern } from './wall-time-search.js';

export interface OnCalendarSchedule {
  /**
   * The earliest match of any line strictly after `after` (epoch ms); lines without their own
   * zone are evaluated in `timeZone`. Null when no line matches before the year 2200.
   */
  nextAfter(after: number, timeZone: string): number | null;
}

/** Parses (once per distinct schedule) or throws InvalidScheduleError. */
export const parseOnCalendar: (schedule: string) => OnCalendarSchedule = cached(1000, compileOnCalendar);

const FIRST_YEAR = 1970;
/** systemd computes elapses up to 2199, and so does Healthchecks. */
const LAST_YEAR = 2199;

const SHORTHANDS: ReadonlyMap<string, string> = new Map([
  ['minutely', '*-*-* *:*:00'],
  ['hourly', '*-*-* *:00:00'],
  ['daily', '*-*-* 00:00:00'],
  ['monthly', '*-*-01 00:00:00'],
  ['weekly', 'Mon *-*-* 00:00:00'],
  ['yearly', '*-01-01 00:00:00'],
  ['annually', '*-01-01 00:00:00'],
  ['quarterly', '*-01,04,07,10-01 00:00:00'],
  ['semiannually', '*-01,07-01 00:00:00'],
]);

/** Weekday names in systemd's order (Monday first, which ranges follow), with JS weekday numbers. */
const WEEKDAYS: readonly { full: string; short: string; jsDay: number }[] = [
  { full: 'monday', short: 'mon', jsDay: 1 },
  { full: 'tuesday', short: 'tue', jsDay: 2 },
  { full: 'wednesday', short: 'wed', jsDay: 3 },
  { full: 'thursday', short: 'thu', jsDay: 4 },
  { full: 'friday', short: 'fri', jsDay: 5 },
  { full: 'saturday', short: 'sat', jsDay: 6 },
  { full: 'sunday', short: 'sun', jsDay: 0 },
];

/** One item of a list: `start`, `start..stop`, `start/repeat`, `start..stop/repeat`, `*\/repeat`. */
interface Component {
  /** null: the field's minimum (from "*\/repeat"). */
  start: number | null;
  stop: number | null;
  /** 0: no repetition. */
  repeat: number;
}

/** null stands for "*", any value. */
type Chain = Component[] | null;

class SyntaxFault extends Error {}

function compileOnCalendar(schedule: string): OnCalendarSchedule {
  try {
    const lines = schedule.trim().split('\n').map(compileLine);
    return {
      nextAfter(after, timeZone) {
        let earliest: number | null = null;
        for (const line of lines) {
          const next = line.nextAfter(after, timeZone);
          if (next !== null && (earliest === null || next < earliest)) earliest = next;
        }
        return earliest;
      },
    };
  } catch (error) {
    if (error instanceof SyntaxFault) throw new InvalidScheduleError(schedule, error.message);
    throw error;
  }
}

function compileLine(line: string): OnCalendarSchedule {
  const words = line.trim().split(/\s+/).filter((word) => word !== '');
  const zone = words.length > 1 ? trailingZone(words.at(-1) ?? '') : null;
  if (zone !== null) words.pop();
  if (words.length === 0) throw new SyntaxFault('Empty expression');
  const expression = words.join(' ');
  const pattern = parseExpression(SHORTHANDS.get(expression.toLowerCase()) ?? expression);
  return {
    nextAfter: (after, timeZone) => nextLineMatch(pattern, zone ?? timeZone, after),
  };
}

/** systemd takes "UTC" in any case, and otherwise a zone name as spelled in tzdata. */
function trailingZone(word: string): string | null {
  if (word.toUpperCase() === 'UTC') return 'UTC';
  return isValidTimeZone(word) ? normaliseTimeZone(word) : null;
}

function nextLineMatch(pattern: WallTimePattern, timeZone: string, after: number): number | null {
  const clock = zoneClock(timeZone);
  let from = clock.wallTimeAt(after) + 1;
  for (;;) {
    const wall = nextWallTime(pattern, from, LAST_YEAR);
    if (wall === null) return null;
    const instants = clock.instantsAtWallTime(wall);
    if (instants.length === 0) {
      // Skipped by a forward jump: carry on from the wall time right after the jump.
      from = clock.wallTimeAt(clock.jumpOver(wall));
      continue;
    }
    const next = instants.find((instant) => instant > after);
    if (next !== undefined) return next;
    from = wall + 1;
  }
}

function parseExpression(expression: string): WallTimePattern {
  const cursor = new Cursor(expression);
  const weekdays = parseWeekdays(cursor);
  const date = parseDate(cursor);
  const time = parseTime(cursor);
  if (!cursor.atEnd) throw new SyntaxFault(`Unexpected "${cursor.rest}"`);
  return buildPattern(weekdays, date, time);
}

class Cursor {
  position = 0;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.position >= this.text.length;
  }

  get rest(): string {
    return this.text.slice(this.position);
  }

  peek(ahead = 0): string {
    return this.text.charAt(this.position + ahead);
  }

  eat(token: string): boolean {
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  /** True at the end of the text or of a space-separated part (whose spaces it then skips). */
  endOfPart(): boolean {
    if (this.atEnd) return true;
    if (this.peek() !== ' ') return false;
    while (this.peek() === ' ') this.position++;
    return true;
  }
}

/** A set of JS weekdays (0 = Sunday), or null when the expression names none. */
function parseWeekdays(cursor: Cursor): Set<number> | null {
  const days = new Set<number>();
  let rangeStart: number | null = null;
  for (let first = true; ; first = false) {
    const day = readWeekday(cursor);
    if (day === null) {
      if (first) return null;
      throw new SyntaxFault('Bad day-of-week');
    }
    if (rangeStart !== null) {
      if (day < rangeStart) throw new SyntaxFault('Bad day-of-week');
      for (let index = rangeStart; index <= day; index++) days.add(index);
    } else {
      days.add(day);
    }
    if (cursor.endOfPart()) return jsWeekdays(days);

    const closedRange = rangeStart !== null;
    rangeStart = null;
    if (cursor.eat('..') || cursor.eat('-')) {
      if (closedRange) throw new SyntaxFault('Bad day-of-week');
      rangeStart = day;
    } else if (!cursor.eat(',')) {
      throw new SyntaxFault('Bad day-of-week');
    }
    // A trailing comma is fine ("Wed, 17:48"), an open range isn't.
    if (cursor.endOfPart()) {
      if (rangeStart !== null) throw new SyntaxFault('Bad day-of-week');
      return jsWeekdays(days);
    }
  }
}

/** The weekday's index in WEEKDAYS (Monday = 0), or null if no name starts here. */
function readWeekday(cursor: Cursor): number | null {
  const rest = cursor.rest.toLowerCase();
  for (const [index, { full, short }] of WEEKDAYS.entries()) {
    const name = rest.startsWith(full) ? full : rest.startsWith(short) ? short : null;
    if (name === null) continue;
    cursor.position += name.length;
    if (!['', '-', '.', ',', ' '].includes(cursor.peek())) throw new SyntaxFault('Bad day-of-week');
    return index;
  }
  return null;
}

function jsWeekdays(indexes: Set<number>): Set<number> {
  return new Set(WEEKDAYS.filter((_, index) => indexes.has(index)).map((weekday) => weekday.jsDay));
}

interface DateChains {
  years: Chain;
  months: Chain;
  days: Chain;
  /** "~": the days count back from the end of the month. */
  fromEndOfMonth: boolean;
}

function parseDate(cursor: Cursor): DateChains {
  const anyDate: DateChains = { years: null, months: null, days: null, fromEndOfMonth: false };
  if (cursor.atEnd) return anyDate;
  const start = cursor.position;
  const first = parseChain(cursor, false);
  if (cursor.atEnd || cursor.peek() === ':') {
    // Not a date after all but the hour of a time.
    cursor.position = start;
    return anyDate;
  }
  let fromEndOfMonth = readDateSeparator(cursor);
  const second = parseChain(cursor, false);
  if (cursor.endOfPart()) return { years: null, months: first, days: second, fromEndOfMonth };
  if (fromEndOfMonth) throw new SyntaxFault('Bad date');
  fromEndOfMonth = readDateSeparator(cursor);
  const third = parseChain(cursor, false);
  if (!cursor.endOfPart()) throw new SyntaxFault('Bad date');
  return { years: first, months: second, days: third, fromEndOfMonth };
}

/** Reads "-" or "~"; true for "~". */
function readDateSeparator(cursor: Cursor): boolean {
  if (cursor.eat('~')) return true;
  if (cursor.eat('-')) return false;
  throw new SyntaxFault('Bad date');
}

interface TimeChains {
  hours: Chain;
  minutes: Chain;
  /** In seconds, possibly fractional. */
  seconds: Chain;
}

function parseTime(cursor: Cursor): TimeChains {
  const zero: Component[] = [{ start: 0, stop: null, repeat: 0 }];
  if (cursor.atEnd) return { hours: zero, minutes: zero, seconds: zero };
  const hours = parseChain(cursor, false);
  if (!cursor.eat(':')) throw new SyntaxFault('Bad time');
  const minutes = parseChain(cursor, false);
  if (cursor.atEnd) return { hours, minutes, seconds: zero };
  if (!cursor.eat(':')) throw new SyntaxFault('Bad time');
  return { hours, minutes, seconds: parseChain(cursor, true) };
}

function parseChain(cursor: Cursor, fractional: boolean): Chain {
  if (cursor.peek() === '*' && cursor.peek(1) !== '/') {
    cursor.position++;
    return null;
  }
  const chain: Component[] = [];
  do {
    chain.push(parseComponent(cursor, fractional));
  } while (cursor.eat(','));
  return chain;
}

function parseComponent(cursor: Cursor, fractional: boolean): Component {
  const start = cursor.eat('*') ? null : readNumber(cursor, fractional);
  let stop: number | null = null;
  let repeat = 0;
  if (start !== null && cursor.eat('..')) {
    stop = readNumber(cursor, fractional);
    repeat = 1;
  }
  if (cursor.eat('/')) {
    repeat = readNumber(cursor, fractional);
    if (repeat <= 0) throw new SyntaxFault('Bad repetition');
  } else if (start === null) {
    throw new SyntaxFault('"*" must stand alone or be followed by a repetition');
  }
  if (!['', ' ', ',', '-', '~', ':'].includes(cursor.peek())) {
    throw new SyntaxFault(`Unexpected "${cursor.rest}"`);
  }
  return { start, stop, repeat };
}

function readNumber(cursor: Cursor, fractional: boolean): number {
  const match = (fractional ? /^[0-9]+(?:\.[0-9]+)?/ : /^[0-9]+/).exec(cursor.rest);
  if (!match) throw new SyntaxFault(cursor.atEnd ? 'Unexpected end' : `Unexpected "${cursor.rest}"`);
  cursor.position += match[0].length;
  return Number(match[0]);
}

interface FieldRange {
  name: string;
  min: number;
  max: number;
}

const YEAR: FieldRange = { name: 'year', min: FIRST_YEAR, max: LAST_YEAR };
const MONTH: FieldRange = { name: 'month', min: 1, max: 12 };
const DAY_OF_MONTH: FieldRange = { name: 'day-of-month', min: 1, max: 31 };
/** systemd counts at most 28 days back from the end of a month. */
const DAY_FROM_END_OF_MONTH: FieldRange = { name: 'day-of-month', min: 1, max: 28 };
const HOUR: FieldRange = { name: 'hour', min: 0, max: 23 };
const MINUTE: FieldRange = { name: 'minute', min: 0, max: 59 };
/** Seconds are kept to the millisecond. */
const MS_OF_MINUTE: FieldRange = { name: 'second', min: 0, max: 59_999 };

function buildPattern(weekdays: Set<number> | null, date: DateChains, time: TimeChains): WallTimePattern {
  const matchesDayOfMonth = dayOfMonthMatcher(date);
  // "*" in the seconds means every whole second.
  const seconds = time.seconds ?? [{ start: 0, stop: null, repeat: 1 }];
  return {
    years: date.years === null ? null : expand(YEAR, date.years.map(fullYear)),
    months: expand(MONTH, date.months),
    hours: expand(HOUR, time.hours),
    minutes: expand(MINUTE, time.minutes),
    msOfMinute: expand(MS_OF_MINUTE, seconds.map(inMilliseconds)),
    matchesDay: (year, month, day) =>
      (weekdays === null || weekdays.has(dayOfWeek(year, month, day))) && matchesDayOfMonth(year, month, day),
  };
}

/** Two-digit years as in systemd: 70-99 are 1970-1999, 0-69 are 2000-2069. */
function fullYear(component: Component): Component {
  const full = (year: number | null) => (year === null || year >= 100 ? year : year + (year < 70 ? 2000 : 1900));
  return { ...component, start: full(component.start), stop: full(component.stop) };
}

function inMilliseconds(component: Component): Component {
  const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000));
  const repeat = Math.round(component.repeat * 1000);
  if (component.repeat > 0 && repeat === 0) throw new SyntaxFault('Bad second');
  return { start: ms(component.start), stop: ms(component.stop), repeat };
}

function dayOfMonthMatcher(date: DateChains): (year: number, month: number, day: number) => boolean {
  const chain = date.days;
  if (chain === null) return () => true;
  if (!date.fromEndOfMonth) {
    const days = new Set(expand(DAY_OF_MONTH, chain));
    return (_year, _month, day) => days.has(day);
  }
  for (const component of chain) bounds(DAY_FROM_END_OF_MONTH, component);
  const daysByMonthLength = new Map(
    [28, 29, 30, 31].map((length) => [length, new Set(chain.flatMap((c) => daysFromEnd(c, length)))]),
  );
  return (year, month, day) => daysByMonthLength.get(daysInMonth(year, month))?.has(day) ?? false;
}

/**
 * "~1" is the last day of the month, "~2" the one before. A range counts the same way ("~1..3":
 * the last three days) and a repetition runs towards the end of the month ("~7/1": the last week).
 */
function daysFromEnd({ start, stop, repeat }: Component, monthLength: number): number[] {
  const fromEnd = (count: number) => monthLength + 1 - count;
  const first = fromEnd(start ?? DAY_FROM_END_OF_MONTH.min);
  if (stop !== null) return steps(fromEnd(stop), first, repeat);
  return repeat > 0 ? steps(first, monthLength, repeat) : [first];
}

/** The values of a chain within the field, ascending; rejects a chain reaching outside it. */
function expand(field: FieldRange, chain: Chain): number[] {
  if (chain === null) return steps(field.min, field.max, 1);
  const values = new Set<number>();
  for (const component of chain) {
    const [first, last] = bounds(field, component);
    for (const value of steps(first, last, Math.max(component.repeat, 1))) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** The first and last value a component can take; throws if it reaches outside the field. */
function bounds(field: FieldRange, { start, stop, repeat }: Component): [number, number] {
  const first = start ?? field.min;
  const outside = (value: number) => value < field.min || value > field.max;
  if (outside(first) || (stop !== null && (outside(stop) || stop < first))) {
    throw new SyntaxFault(`Bad ${field.name}`);
  }
  return [first, stop ?? (repeat > 0 ? field.max : first)];
}

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}
