// Which time zone names a check may use (spec §3.5): the IANA zones the platform knows, under
// their current names, plus UTC, GMT and the fixed-offset Etc zones. Legacy aliases are accepted and
// stored under their current name (Europe/Kiev → Europe/Kyiv, UCT → Etc/UTC, CET → Europe/Brussels).
import { InvalidTimeZoneError } from './errors.js';
import { LEGACY_TIME_ZONES } from './time-zone-aliases.js';

let zoneNames: ReadonlySet<string> | undefined;

function knownZoneNames(): ReadonlySet<string> {
  if (!zoneNames) {
    // ICU lists some zones under pre-rename spellings (Asia/Calcutta); store the current ones.
    const platform = Intl.supportedValuesOf('timeZone').map((name) => LEGACY_TIME_ZONES.get(name) ?? name);
    const fixedOffsets = ['UTC', 'GMT', 'Etc/UTC', 'Etc/GMT'];
    for (let hours = 1; hours <= 14; hours++) {
      fixedOffsets.push(`Etc/GMT-${hours}`);
      if (hours <= 12) fixedOffsets.push(`Etc/GMT+${hours}`);
    }
    zoneNames = new Set([...platform, ...fixedOffsets]);
  }
  return zoneNames;
}

function currentName(timeZone: string): string | null {
  const names = knownZoneNames();
  if (names.has(timeZone)) return timeZone;
  const current = LEGACY_TIME_ZONES.get(timeZone);
  return current !== undefined && names.has(current) ? current : null;
}

/** Exact spelling only: `europe/riga` is not a zone, as in Healthchecks. */
export function isValidTimeZone(timeZone: string): boolean {
  return currentName(timeZone) !== null;
}

/** The name to store for a valid zone; throws InvalidTimeZoneError for any other name. */
export function normaliseTimeZone(timeZone: string): string {
  const current = currentName(timeZone);
  if (current === null) throw new InvalidTimeZoneError(timeZone);
  return current;
}
