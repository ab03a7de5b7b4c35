// Validation of Cron Checks API bodies (seed 003): every problem is reported, each as a field and
// a reason, and the rules that relate fields (grace against interval, max duration against
// interval, the long-run alert against max duration) see the values the check would end up with.

export interface ValidationIssue {
  field: string;
  reason: string;
}

export interface CronCheckInput {
  name?: string;
  interval_seconds?: number;
  grace_seconds?: number;
  max_duration_seconds?: number | null;
  server_id?: number | null;
  enabled?: boolean;
  alert_on_missed?: boolean;
  alert_on_fail?: boolean;
  alert_on_stuck?: boolean;
  alert_on_long?: boolean;
}

/** What an update is checked against: the check as it is now. */
export interface CronCheckCurrent {
  /** Seconds; null for a check on a cron or OnCalendar schedule, which has no interval. */
  interval: number | null;
  grace: number;
  maxDuration: number | null;
  alertOnLong: boolean;
}

export interface ParsedCronCheck {
  input: CronCheckInput;
  issues: ValidationIssue[];
}

export const MIN_INTERVAL = 60;
export const MAX_INTERVAL = 7_776_000;
export const DEFAULT_GRACE = 300;
export const MAX_NAME_LENGTH = 100;

class FieldError extends Error {}

type Parser = (value: unknown) => unknown;

function integer(min: number, max: number, range: string): Parser {
  return (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new FieldError('must be an integer');
    if (value < min || value > max) throw new FieldError(range);
    return value;
  };
}

function nullable(parse: Parser): Parser {
  return (value) => (value === null ? null : parse(value));
}

// The API shows flags as 0/1, so a check read back and sent again must be accepted too.
const boolean: Parser = (value) => {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new FieldError('must be a boolean');
};

const name: Parser = (value) => {
  if (typeof value !== 'string') throw new FieldError('must be a string');
  if (value.trim() === '' || [...value].length > MAX_NAME_LENGTH) throw new FieldError(`must be 1-${MAX_NAME_LENGTH} characters`);
  return value;
};

const MAX_GRACE = Math.floor(MAX_INTERVAL / 2);

// In the order the seed lists the updatable fields; issues come out in this order.
const PARSERS: Record<keyof CronCheckInput, Parser> = {
  name,
  server_id: nullable(integer(1, Number.MAX_SAFE_INTEGER, 'must be a server id')),
  interval_seconds: integer(MIN_INTERVAL, MAX_INTERVAL, `must be between ${MIN_INTERVAL} and ${MAX_INTERVAL}`),
  // Bounded by the interval below; these absolute bounds matter for checks on a cron schedule.
  grace_seconds: integer(0, MAX_GRACE, `must be between 0 and ${MAX_GRACE}`),
  max_duration_seconds: nullable(integer(1, MAX_INTERVAL - 1, `must be between 1 and ${MAX_INTERVAL - 1}, or null`)),
  enabled: boolean,
  alert_on_missed: boolean,
  alert_on_fail: boolean,
  alert_on_stuck: boolean,
  alert_on_long: boolean,
};

/**
 * Validates a create (`current` absent) or an update body. Unknown fields are ignored; `enabled`
 * is only read on updates. Whether `server_id` names a server of the caller's project is for the
 * caller to check, since it needs the database.
 */
export function parseCronCheckInput(body: unknown, current?: CronCheckCurrent): ParsedCronCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { input: {}, issues: [{ field: 'body', reason: 'must be a JSON object' }] };
  }
  const fields = body as Record<string, unknown>;
  const creating = current === undefined;
  const input: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const invalid = new Set<string>();

  for (const [field, parse] of Object.entries(PARSERS)) {
    if (creating && field === 'enabled') continue;
    if (!Object.hasOwn(fields, field)) {
      if (creating && (field === 'name' || field === 'interval_seconds')) {
        issues.push({ field, reason: 'is required' });
        invalid.add(field);
      }
      continue;
    }
    try {
      input[field] = parse(fields[field]);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      issues.push({ field, reason: error.message });
      invalid.add(field);
    }
  }
  if (!creating && Object.keys(input).length === 0 && invalid.size === 0) {
    issues.push({ field: 'body', reason: 'no updatable fields provided' });
  }

  const parsed = input as CronCheckInput;
  // Relations are only judged between values that are valid on their own.
  if (!invalid.has('interval_seconds') && !invalid.has('grace_seconds') && !invalid.has('max_duration_seconds')) {
    const interval = parsed.interval_seconds ?? current?.interval ?? null;
    const maxGrace = interval === null ? null : Math.floor(interval / 2);
    if (creating && parsed.grace_seconds === undefined && maxGrace !== null) {
      // The default must not break the rule by itself: a 60 s interval gets 30 s of grace.
      parsed.grace_seconds = Math.min(DEFAULT_GRACE, maxGrace);
    }
    const grace = parsed.grace_seconds ?? current?.grace ?? DEFAULT_GRACE;
    if (maxGrace !== null && grace > maxGrace) {
      issues.push({ field: 'grace_seconds', reason: `must be at most ${maxGrace} (half of interval_seconds)` });
    }
    const maxDuration = parsed.max_duration_seconds !== undefined ? parsed.max_duration_seconds : (current?.maxDuration ?? null);
    if (interval !== null && maxDuration !== null && maxDuration >= interval) {
      issues.push({ field: 'max_duration_seconds', reason: 'must be less than interval_seconds' });
    }
    const alertOnLong = parsed.alert_on_long ?? current?.alertOnLong ?? false;
    if (!invalid.has('alert_on_long') && alertOnLong && maxDuration === null) {
      issues.push({ field: 'alert_on_long', reason: 'requires max_duration_seconds' });
    }
  }
  return { input: parsed, issues };
}
