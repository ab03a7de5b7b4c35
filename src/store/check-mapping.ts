// Between check rows (0/1 flags, snake_case) and the core's view of a check.
import type { CheckPingState } from '../core/ping-effect.js';
import type { CheckTiming } from '../core/check-status.js';
import type { PingCheckRow, PingUpdate } from './ping-queries.js';
import type { CheckRow, CheckUpdate } from './schema.js';

type TimingColumns = Pick<CheckRow, 'kind' | 'timeout' | 'grace' | 'schedule' | 'tz' | 'status' | 'last_ping' | 'last_start' | 'max_duration'>;

export function checkTimingOf(row: TimingColumns): CheckTiming {
  return {
    kind: row.kind,
    timeout: row.timeout,
    grace: row.grace,
    schedule: row.schedule,
    tz: row.tz,
    status: row.status,
    lastPing: row.last_ping,
    lastStart: row.last_start,
    maxDuration: row.max_duration,
  };
}

// Written out field by field: this runs for every ping, and spreading one object into a literal
// with more properties is a slow path in V8 (microseconds per call).
export function checkPingStateOf(row: PingCheckRow): CheckPingState {
  return {
    kind: row.kind,
    timeout: row.timeout,
    grace: row.grace,
    schedule: row.schedule,
    tz: row.tz,
    status: row.status,
    lastPing: row.last_ping,
    lastStart: row.last_start,
    maxDuration: row.max_duration,
    alertOnStuck: row.alert_on_stuck === 1,
    manualResume: row.manual_resume === 1,
    hasConfirmationLink: row.has_confirmation_link === 1,
    alertAfter: row.alert_after,
    nPings: row.n_pings,
    lastStartRid: row.last_start_rid,
    lastDuration: row.last_duration,
    lastSuccess: row.last_success,
    lastFail: row.last_fail,
    lastExitCode: row.last_exit_code,
  };
}

/** The columns a ping may change, from the state the core computed. */
export function pingStateColumns(state: CheckPingState): PingUpdate {
  return {
    status: state.status,
    n_pings: state.nPings,
    last_ping: state.lastPing,
    last_start: state.lastStart,
    last_start_rid: state.lastStartRid,
    last_duration: state.lastDuration,
    last_success: state.lastSuccess,
    last_fail: state.lastFail,
    last_exit_code: state.lastExitCode,
    has_confirmation_link: state.hasConfirmationLink ? 1 : 0,
    alert_after: state.alertAfter,
  };
}

/** The row with some columns changed (a copy; for hot paths mutate with assignPingUpdate). */
export function withColumns<Row extends Partial<CheckRow>>(row: Row, update: CheckUpdate): Row {
  return { ...row, ...update } as Row;
}

/** Writes a ping's changes into a row held in memory, in place. */
export function assignPingUpdate(row: PingCheckRow, update: PingUpdate): void {
  row.status = update.status;
  row.n_pings = update.n_pings;
  row.last_ping = update.last_ping;
  row.last_start = update.last_start;
  row.last_start_rid = update.last_start_rid;
  row.last_duration = update.last_duration;
  row.last_success = update.last_success;
  row.last_fail = update.last_fail;
  row.last_exit_code = update.last_exit_code;
  row.has_confirmation_link = update.has_confirmation_link;
  row.alert_after = update.alert_after;
}
