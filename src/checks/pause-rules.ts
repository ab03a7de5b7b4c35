// What pausing and resuming do to a check (Healthchecks' pause and resume views), for every API
// that can do either. Both return null when the check is already in the asked-for state.
import type { CheckUpdate, StoredStatus } from '../store/schema.js';

export type StatusChange = CheckUpdate & { status: StoredStatus };

/** Monitoring stops: a run in progress is forgotten and nothing is due. */
export function pausedColumns(check: { status: StoredStatus }): StatusChange | null {
  if (check.status === 'paused') return null;
  return { status: 'paused', last_start: null, alert_after: null };
}

/** Back to `new`: the check waits for its next ping as if it had never been pinged. */
export function resumedColumns(check: { status: StoredStatus }): StatusChange | null {
  if (check.status !== 'paused') return null;
  return { status: 'new', last_start: null, last_ping: null, alert_after: null };
}
