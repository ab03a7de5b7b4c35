// Calendar arithmetic on wall-clock times. A wall time is a local date and time with no zone,
// stored as the epoch milliseconds that date and time would have in UTC: it orders, adds and
// compares like a number, and the UTC getters of Date read its fields without any zone lookup.

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface WallFields {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  /** 0-23 */
  hour: number;
  /** 0-59 */
  minute: number;
  /** Milliseconds into the minute, 0-59999. */
  msOfMinute: number;
}

export function wallTime(year: number, month: number, day: number, hour = 0, minute = 0, msOfMinute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) + msOfMinute;
}

export function wallFields(wall: number): WallFields {
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    msOfMinute: date.getUTCSeconds() * SECOND_MS + date.getUTCMilliseconds(),
  };
}

export function yearOf(wall: number): number {
  return new Date(wall).getUTCFullYear();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
