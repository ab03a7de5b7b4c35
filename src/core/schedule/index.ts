// The schedule API the rest of Lookout sees: which kind a schedule is, whether it is valid, and
// when it next fires. Parsed schedules are cached, so calling these on every ping is cheap.
import { parseCron } from './cron.js';
import { InvalidScheduleError } from './errors.js';
import { parseOnCalendar } from './oncalendar.js';

export { InvalidScheduleError, InvalidTimeZoneError } from './errors.js';
export { isValidTimeZone, normaliseTimeZone } from './time-zone-names.js';

export type ScheduleKind = 'cron' | 'oncalendar';

/** Healthchecks' guess_kind: one line of exactly five whitespace-separated fields is cron. */
export function guessKind(schedule: string): ScheduleKind {
  const lines = schedule.trim().split('\n');
  const [line] = lines;
  return lines.length === 1 && line !== undefined && line.split(/\s+/).length === 5 ? 'cron' : 'oncalendar';
}

// Healthchecks validates by asking for a match after this instant (cron naive, OnCalendar in UTC).
const VALIDATION_START = Date.UTC(2000, 0, 1);

/**
 * Whether the schedule parses and matches at least once after 2000-01-01 (spec §2.4). Lines of an
 * OnCalendar schedule without their own zone are evaluated in `timeZone`; Healthchecks uses UTC.
 */
export function validateSchedule(kind: ScheduleKind, schedule: string, timeZone: string): boolean {
  try {
    return nextScheduleMatch(kind, schedule, timeZone, VALIDATION_START) !== null;
  } catch (error) {
    if (error instanceof InvalidScheduleError) return false;
    throw error;
  }
}

/**
 * The first time the schedule fires strictly after `afterMs`, in epoch milliseconds, or null if it
 * never does (cron: within 50 years; OnCalendar: before 2200). Throws InvalidScheduleError for a
 * schedule that doesn't parse and InvalidTimeZoneError for an unknown zone.
 */
export function nextScheduleMatch(
  kind: ScheduleKind,
  schedule: string,
  timeZone: string,
  afterMs: number,
): number | null {
  const parsed = kind === 'cron' ? parseCron(schedule) : parseOnCalendar(schedule);
  return parsed.nextAfter(afterMs, timeZone);
}
