// The deadline a check gets from a change made through an API.
import { alertDeadline } from '../core/alert-rules.js';
import { checkTimingOf, withColumns } from '../store/check-mapping.js';
import type { CheckRow, CheckUpdate } from '../store/schema.js';

/**
 * The changes with the deadline they give the check (`alert_after`): a new timeout, grace,
 * schedule, max_duration or alert_on_stuck, a pause or a resume moves it.
 */
export function withDeadline(row: CheckRow, columns: CheckUpdate): CheckUpdate {
  const next = withColumns(row, columns);
  return { ...columns, alert_after: alertDeadline(checkTimingOf(next), next.alert_on_stuck === 1) };
}
