// UTC offsets of IANA time zones, read from the platform's Intl data, and the conversions between
// instants and wall times that schedules need.
//
// Asking Intl for an offset costs ~10 µs, and a schedule search may ask many times, so each zone
// keeps a table of its offset changes per UTC year, built once by probing one instant per day and
// bisecting each change to the second. This assumes a zone never changes its offset twice within a
// day, which holds for all of tzdata.
import { InvalidTimeZoneError } from './errors.js';
import { DAY_MS, HOUR_MS, SECOND_MS } from './civil-time.js';

export interface ZoneClock {
  /** Milliseconds to add to an instant to get its wall time. */
  offsetAt(instant: number): number;
  wallTimeAt(instant: number): number;
  /** The first instant after `instant` at which the offset may change (Infinity for fixed zones). */
  nextOffsetChange(instant: number): number;
  /** The instants showing this wall time, ascending: none in a forward jump, two in a backward one. */
  instantsAtWallTime(wall: number): number[];
  /** For a wall time skipped by a forward jump: the instant of that jump. */
  jumpOver(wall: number): number;
}

const UTC_CLOCK: ZoneClock = {
  offsetAt: () => 0,
  wallTimeAt: (instant) => instant,
  nextOffsetChange: () => Infinity,
  instantsAtWallTime: (wall) => [wall],
  jumpOver: (wall) => wall,
};

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

const clocks = new Map<string, ZoneClock>();

/** The clock of an IANA zone; throws InvalidTimeZoneError for a name Intl doesn't know. */
export function zoneClock(timeZone: string): ZoneClock {
  if (UTC_NAMES.has(timeZone)) return UTC_CLOCK;
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new IntlZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

interface OffsetChange {
  at: number;
  offsetBefore: number;
  offsetAfter: number;
}

interface YearOfOffsets {
  offsetBeforeYear: number;
  changes: OffsetChange[];
}

// UTC offsets lie within -12 h … +14 h, so the instants showing a wall time lie within this window.
const EARLIEST_OFFSET = -12 * HOUR_MS;
const LATEST_OFFSET = 14 * HOUR_MS;

// A zone used by live checks needs only a couple of years; the bound keeps a far-ranging search
// from growing the table without limit.
const MAX_CACHED_YEARS = 64;

class IntlZoneClock implements ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, YearOfOffsets>();

  constructor(timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidTimeZoneError(timeZone);
    }
  }

  offsetAt(instant: number): number {
    const year = this.yearOfOffsets(instant);
    let offset = year.offsetBeforeYear;
    for (const change of year.changes) {
      if (change.at > instant) break;
      offset = change.offsetAfter;
    }
    return offset;
  }

  wallTimeAt(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  nextOffsetChange(instant: number): number {
    const change = this.yearOfOffsets(instant).changes.find((c) => c.at > instant);
    return change ? change.at : Date.UTC(new Date(instant).getUTCFullYear() + 1, 0, 1);
  }

  instantsAtWallTime(wall: number): number[] {
    const from = wall - LATEST_OFFSET;
    const changes = this.changesBetween(from, wall - EARLIEST_OFFSET);
    const offsets = new Set([this.offsetAt(from), ...changes.map((change) => change.offsetAfter)]);
    return [...offsets]
      .map((offset) => wall - offset)
      .filter((instant) => this.wallTimeAt(instant) === wall)
      .sort((a, b) => a - b);
  }

  jumpOver(wall: number): number {
    const jump = this.changesBetween(wall - LATEST_OFFSET, wall - EARLIEST_OFFSET).find(
      (c) => c.at + c.offsetBefore <= wall && wall < c.at + c.offsetAfter,
    );
    if (!jump) throw new Error(`${new Date(wall).toISOString()} is not skipped by a forward jump`);
    return jump.at;
  }

  private changesBetween(from: number, to: number): OffsetChange[] {
    const changes: OffsetChange[] = [];
    for (let year = new Date(from).getUTCFullYear(); year <= new Date(to).getUTCFullYear(); year++) {
      for (const change of this.yearOfOffsets(Date.UTC(year, 0, 1)).changes) {
        if (change.at > from && change.at <= to) changes.push(change);
      }
    }
    return changes;
  }

  private yearOfOffsets(instant: number): YearOfOffsets {
    const year = new Date(instant).getUTCFullYear();
    let table = this.years.get(year);
    if (!table) {
      if (this.years.size >= MAX_CACHED_YEARS) this.years.clear();
      table = this.probeYear(year);
      this.years.set(year, table);
    }
    return table;
  }

  private probeYear(year: number): YearOfOffsets {
    // Starting from the last second of the year before catches a change at the stroke of the year.
    const first = Date.UTC(year, 0, 1) - SECOND_MS;
    const last = Date.UTC(year + 1, 0, 1) - SECOND_MS;
    const offsetBeforeYear = this.probe(first);
    const changes: OffsetChange[] = [];
    let before = first;
    let offsetBefore = offsetBeforeYear;
    while (before < last) {
      const after = Math.min(before + DAY_MS, last);
      const offsetAfter = this.probe(after);
      if (offsetAfter !== offsetBefore) {
        changes.push({ at: this.bisectChange(before, after, offsetBefore), offsetBefore, offsetAfter });
      }
      before = after;
      offsetBefore = offsetAfter;
    }
    return { offsetBeforeYear, changes };
  }

  /** The first whole second in (before, after] whose offset differs from `offsetBefore`. */
  private bisectChange(before: number, after: number, offsetBefore: number): number {
    let low = before;
    let high = after;
    while (high - low > SECOND_MS) {
      const middle = low + Math.floor((high - low) / 2 / SECOND_MS) * SECOND_MS;
      if (this.probe(middle) === offsetBefore) low = middle;
      else high = middle;
    }
    return high;
  }

  private probe(instant: number): number {
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(instant)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
    return Date.UTC(year, month - 1, day, hour, minute, second) - instant;
  }
}
