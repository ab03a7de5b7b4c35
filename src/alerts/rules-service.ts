// Reading and changing a check's alert rules on behalf of an API caller (for the check API to
// accept them): validation with precise messages, and the deadline recomputed in the same write,
// since max_duration and alert_on_stuck move it.
import { alertDeadline } from '../core/alert-rules.js';
import { checkTimingOf } from '../store/check-mapping.js';
import { findCheckByCode, lockCheckByCode, updateCheck } from '../store/checks.js';
import type { Store } from '../store/database.js';
import type { CheckRow, CheckUpdate, ProjectRow } from '../store/schema.js';

export class AlertRulesInputError extends Error {}
export class AlertRulesNotFoundError extends Error {}
export class AlertRulesForbiddenError extends Error {}

const YEAR = 365 * 86_400;
const FLAGS = ['alert_on_missed', 'alert_on_fail', 'alert_on_stuck', 'alert_on_long'] as const;

type RuleColumns = Pick<
  CheckUpdate,
  | (typeof FLAGS)[number]
  | 'max_duration'
  | 'min_duration'
  | 'failure_threshold'
  | 'reminder_interval'
  | 'flap_threshold'
  | 'flap_window'
>;

function integer(body: Record<string, unknown>, field: string, min: number, max: number, nullable: boolean): number | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) {
    if (nullable) return null;
    throw new AlertRulesInputError(`${field} must be a number`);
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new AlertRulesInputError(`${field} must be a whole number`);
  if (value < min) throw new AlertRulesInputError(`${field} must be at least ${min}`);
  if (value > max) throw new AlertRulesInputError(`${field} must be at most ${max}`);
  return value;
}

/** The rule columns a request body asks for (fields left out stay as they are). */
export function parseAlertRules(body: Record<string, unknown>): RuleColumns {
  const out: RuleColumns = {};
  for (const flag of FLAGS) {
    const value = body[flag];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new AlertRulesInputError(`${flag} must be true or false`);
    out[flag] = value ? 1 : 0;
  }
  const set = <K extends keyof RuleColumns>(key: K, value: RuleColumns[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('max_duration', integer(body, 'max_duration', 0, YEAR, true));
  set('min_duration', integer(body, 'min_duration', 0, YEAR, true));
  set('failure_threshold', integer(body, 'failure_threshold', 1, 100, false) ?? undefined);
  set('reminder_interval', integer(body, 'reminder_interval', 60, YEAR, true));
  set('flap_threshold', integer(body, 'flap_threshold', 1, 1000, true));
  set('flap_window', integer(body, 'flap_window', 60, 7 * 86_400, true));
  return out;
}

/** Rules that only make sense together, checked on the check as it would be after the change. */
function checkConsistency(row: CheckRow): void {
  if (row.min_duration !== null && row.max_duration !== null && row.min_duration >= row.max_duration) {
    throw new AlertRulesInputError('min_duration must be less than max_duration');
  }
  if ((row.flap_threshold === null) !== (row.flap_window === null)) {
    throw new AlertRulesInputError('flap_threshold and flap_window must be set together');
  }
  if (row.alert_on_long === 1 && row.max_duration === null) throw new AlertRulesInputError('alert_on_long requires max_duration');
}

/** A check's rules as an API shows them (keys after the Healthchecks ones). */
export function alertRulesJson(row: CheckRow): Record<string, unknown> {
  return {
    alert_on_missed: row.alert_on_missed === 1,
    alert_on_fail: row.alert_on_fail === 1,
    alert_on_stuck: row.alert_on_stuck === 1,
    alert_on_long: row.alert_on_long === 1,
    max_duration: row.max_duration,
    min_duration: row.min_duration,
    failure_threshold: row.failure_threshold,
    reminder_interval: row.reminder_interval,
    flap_threshold: row.flap_threshold,
    flap_window: row.flap_window,
  };
}

export class AlertRulesService {
  constructor(private readonly store: Store) {}

  async get(project: ProjectRow, code: string): Promise<CheckRow> {
    const check = await findCheckByCode(this.store.db, code);
    if (!check) throw new AlertRulesNotFoundError();
    if (check.project_id !== project.id) throw new AlertRulesForbiddenError();
    return check;
  }

  /** Changes the rules in `body`; the check's deadline follows (a run may now be stuck sooner). */
  async update(project: ProjectRow, code: string, body: Record<string, unknown>): Promise<CheckRow> {
    const columns = parseAlertRules(body);
    return this.store.db.transaction().execute(async (trx) => {
      const check = await lockCheckByCode(trx, this.store.dialect, code);
      if (!check) throw new AlertRulesNotFoundError();
      if (check.project_id !== project.id) throw new AlertRulesForbiddenError();
      const next = { ...check, ...columns } as CheckRow;
      checkConsistency(next);
      const update: CheckUpdate = { ...columns, alert_after: alertDeadline(checkTimingOf(next), next.alert_on_stuck === 1) };
      // No reminders planned past the point they were switched off.
      if (next.reminder_interval === null) update.next_reminder_at = null;
      await updateCheck(trx, check.id, update);
      return { ...next, ...update } as CheckRow;
    });
  }
}
