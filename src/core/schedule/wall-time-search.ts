// Finds the next wall-clock time matching a calendar pattern (the part cron and OnCalendar share).
// It jumps field by field, coarsest first, so even a pattern that matches once in decades costs a
// few hundred steps, never one per minute.
import { daysInMonth, wallFields, wallTime } from './civil-time.js';

export interface WallTimePattern {
  /** Allowed years, ascending; null allows every year. */
  readonly years: readonly number[] | null;
  /** Allowed months (1-12), ascending. */
  readonly months: readonly number[];
  matchesDay(year: number, month: number, day: number): boolean;
  /** Allowed hours (0-23), ascending. */
  readonly hours: readonly number[];
  /** Allowed minutes (0-59), ascending. */
  readonly minutes: readonly number[];
  /** Allowed offsets into the minute in milliseconds (0-59999), ascending. */
  readonly msOfMinute: readonly number[];
}

/** The first wall time at or after `from` that matches, or null if none does up to the end of `lastYear`. */
export function nextWallTime(pattern: WallTimePattern, from: number, lastYear: number): number | null {
  let { year, month, day, hour, minute, msOfMinute } = wallFields(from);
  for (;;) {
    const matchingYear = pattern.years === null ? year : firstAtLeast(pattern.years, year);
    if (matchingYear === undefined || matchingYear > lastYear) return null;
    if (matchingYear !== year) {
      [year, month, day, hour, minute, msOfMinute] = [matchingYear, 1, 1, 0, 0, 0];
    }

    const matchingMonth = firstAtLeast(pattern.months, month);
    if (matchingMonth === undefined) {
      [year, month, day, hour, minute, msOfMinute] = [year + 1, 1, 1, 0, 0, 0];
      continue;
    }
    if (matchingMonth !== month) {
      [month, day, hour, minute, msOfMinute] = [matchingMonth, 1, 0, 0, 0];
    }

    const matchingDay = firstMatchingDay(pattern, year, month, day);
    if (matchingDay === undefined) {
      // A month past December is caught by the month search above.
      [month, day, hour, minute, msOfMinute] = [month + 1, 1, 0, 0, 0];
      continue;
    }
    if (matchingDay !== day) {
      [day, hour, minute, msOfMinute] = [matchingDay, 0, 0, 0];
    }

    const matchingHour = firstAtLeast(pattern.hours, hour);
    if (matchingHour === undefined) {
      [day, hour, minute, msOfMinute] = [day + 1, 0, 0, 0];
      continue;
    }
    if (matchingHour !== hour) {
      [hour, minute, msOfMinute] = [matchingHour, 0, 0];
    }

    const matchingMinute = firstAtLeast(pattern.minutes, minute);
    if (matchingMinute === undefined) {
      [hour, minute, msOfMinute] = [hour + 1, 0, 0];
      continue;
    }
    if (matchingMinute !== minute) {
      [minute, msOfMinute] = [matchingMinute, 0];
    }

    const matchingMs = firstAtLeast(pattern.msOfMinute, msOfMinute);
    if (matchingMs === undefined) {
      [minute, msOfMinute] = [minute + 1, 0];
      continue;
    }
    return wallTime(year, month, day, hour, minute, matchingMs);
  }
}

function firstMatchingDay(pattern: WallTimePattern, year: number, month: number, fromDay: number): number | undefined {
  const lastDay = daysInMonth(year, month);
  for (let day = fromDay; day <= lastDay; day++) {
    if (pattern.matchesDay(year, month, day)) return day;
  }
  return undefined;
}

function firstAtLeast(ascending: readonly number[], value: number): number | undefined {
  for (const candidate of ascending) {
    if (candidate >= value) return candidate;
  }
  return undefined;
}
