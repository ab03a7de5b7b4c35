// Validation of the Healthchecks create/update body (spec §3.5–3.6): strict types, unknown keys
// ignored, only the first error reported, fields checked in the order Healthchecks checks them.
import { guessKind, isValidTimeZone, normaliseTimeZone, validateSchedule } from '../core/schedule/index.js';

export type UniqueField = 'name' | 'slug' | 'tags' | 'timeout' | 'grace';

export interface CheckInput {
  channels?: string;
  desc?: string;
  failure_kw?: string;
  filter_subject?: boolean;
  filter_body?: boolean;
  filter_http_body?: boolean;
  filter_default_fail?: boolean;
  grace?: number;
  manual_resume?: boolean;
  methods?: '' | 'POST';
  name?: string;
  schedule?: string;
  slug?: string;
  start_kw?: string;
  subject?: string;
  subject_fail?: string;
  success_kw?: string;
  tags?: string;
  timeout?: number;
  tz?: string;
  unique?: UniqueField[];
  // Lookout's additions (Boxwatch-style run limits and alert toggles).
  max_duration?: number | null;
  alert_on_missed?: boolean;
  alert_on_fail?: boolean;
  alert_on_stuck?: boolean;
  alert_on_long?: boolean;
}

export class CheckInputError extends Error {}

type Validator = (field: string, value: unknown) => unknown;

const codePoints = (s: string): number => [...s].length;

function string(maxLength?: number): Validator {
  return (field, value) => {
    if (typeof value !== 'string') throw new CheckInputError(`${field} is not a string`);
    if (maxLength !== undefined && codePoints(value) > maxLength) throw new CheckInputError(`${field} is too long`);
    // PostgreSQL text cannot hold NUL (Healthchecks answers 500 there); refuse it on every database.
    if (value.includes('\u0000')) throw new CheckInputError(`${field} contains a NUL character`);
    return value;
  };
}

function boolean(): Validator {
  return (field, value) => {
    if (typeof value !== 'boolean') throw new CheckInputError(`${field} is not a boolean`);
    return value;
  };
}

const MIN_SECONDS = 60;
const MAX_SECONDS = 31_536_000;

/** Whole seconds in [60, 365 days]. Anything but a JSON integer (a float too) is "not a number". */
function secondsInRange(field: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new CheckInputError(`${field} is not a number`);
  if (n < MIN_SECONDS) throw new CheckInputError(`${field} is too small`);
  // Huge integers are "too large" rather than an overflow: Healthchecks answers 500 there.
  if (n > MAX_SECONDS) throw new CheckInputError(`${field} is too large`);
  return n;
}

function seconds(): Validator {
  // JSON booleans count as integers here, as they do in Healthchecks (true is 1 second).
  return (field, value) => secondsInRange(field, typeof value === 'boolean' ? Number(value) : value);
}

/** Lookout's own durations: strictly an integer, or null to switch the limit off. */
function secondsOrNull(): Validator {
  return (field, value) => (value === null ? null : secondsInRange(field, value));
}

const SLUG = /^[a-z0-9-_]*$/;
const UNIQUE_FIELDS: ReadonlySet<string> = new Set(['name', 'slug', 'tags', 'timeout', 'grace']);

// Ordered as Healthchecks reports them: the first failing field in this order is the error.
const FIELDS: [keyof CheckInput, Validator][] = [
  ['channels', string()],
  ['desc', string()],
  ['failure_kw', string(200)],
  ['filter_subject', boolean()],
  ['filter_body', boolean()],
  ['filter_http_body', boolean()],
  ['filter_default_fail', boolean()],
  ['grace', seconds()],
  ['manual_resume', boolean()],
  [
    'methods',
    (field, value) => {
      if (value !== '' && value !== 'POST') throw new CheckInputError(`${field} has unexpected value`);
      return value;
    },
  ],
  ['name', string(100)],
  ['schedule', string(100)],
  [
    'slug',
    (field, value) => {
      const slug = string(100)(field, value) as string;
      if (!SLUG.test(slug)) throw new CheckInputError('slug does not match pattern');
      return slug;
    },
  ],
  ['start_kw', string(200)],
  ['subject', string(200)],
  ['subject_fail', string(200)],
  ['success_kw', string(200)],
  ['tags', string()],
  ['timeout', seconds()],
  [
    'tz',
    (field, value) => {
      const tz = string()(field, value) as string;
      if (!isValidTimeZone(tz)) throw new CheckInputError('tz is not a valid timezone');
      return normaliseTimeZone(tz);
    },
  ],
  [
    'unique',
    (_field, value) => {
      if (!Array.isArray(value)) throw new CheckInputError('unique is not an array');
      for (const item of value) {
        if (typeof item !== 'string' || !UNIQUE_FIELDS.has(item)) {
          throw new CheckInputError("an item in 'unique' has unexpected value");
        }
      }
      return value;
    },
  ],
  // Lookout's fields come after Healthchecks' own, so that a Healthchecks client's first error
  // is the one Healthchecks would report.
  ['max_duration', secondsOrNull()],
  ['alert_on_missed', boolean()],
  ['alert_on_fail', boolean()],
  ['alert_on_stuck', boolean()],
  ['alert_on_long', boolean()],
];

/** Validates a parsed JSON object; throws CheckInputError with the message the API returns. */
export function parseCheckInput(body: Record<string, unknown>): CheckInput {
  const input: Record<string, unknown> = {};
  for (const [field, validate] of FIELDS) {
    if (!Object.hasOwn(body, field)) continue;
    input[field] = validate(field, body[field]);
    if (field === 'schedule') {
      const schedule = input.schedule as string;
      // The time zone only matters for evaluation; validation uses UTC like Healthchecks.
      if (!validateSchedule(guessKind(schedule), schedule, 'UTC')) {
        throw new CheckInputError('schedule is not a valid cron or OnCalendar expression');
      }
    }
  }
  return input as CheckInput;
}
