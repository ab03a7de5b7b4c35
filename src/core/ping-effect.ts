// What one ping does to its check (Healthchecks' Check.ping, §1.4), as a pure function: the caller
// writes the result together with the ping in one transaction.
import type { PingAction } from './ping-classify.js';
import { alertDeadline } from './alert-rules.js';
import type { CheckTiming, StoredStatus } from './check-status.js';

export interface CheckPingState extends CheckTiming {
  /** Whether a run outlasting max_duration is watched: it then moves the deadline. */
  alertOnStuck: boolean;
  manualResume: boolean;
  hasConfirmationLink: boolean;
  alertAfter: number | null;
  nPings: number;
  lastStartRid: string | null;
  lastDuration: number | null;
  lastSuccess: number | null;
  lastFail: number | null;
  lastExitCode: number | null;
}

export interface IncomingPing {
  action: PingAction;
  now: number;
  rid: string | null;
  exitStatus: number | null;
  /** Lowercased search for "confirm" happens here, so pass the kept body. */
  body: Uint8Array;
}

export interface FlipChange {
  oldStatus: StoredStatus;
  newStatus: StoredStatus;
  reason: '' | 'fail';
}

export interface PingEffect {
  /** The action as recorded (manual-resume pauses turn everything into `ign`). */
  kind: PingAction;
  /** Sequence number of this ping within its check. */
  n: number;
  /** Milliseconds since the paired start, when this ping completed a run. */
  duration: number | null;
  check: CheckPingState;
  flip: FlipChange | null;
}

const CONFIRM = Buffer.from('confirm');

function mentionsConfirm(body: Uint8Array): boolean {
  if (body.length < CONFIRM.length) return false;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1').toLowerCase().includes('confirm');
}

export function applyPing(state: CheckPingState, ping: IncomingPing): PingEffect {
  // A plain copy; spreading with extra properties is a slow path in V8 and this runs per ping.
  const next = { ...state };
  let kind = ping.action;
  if (state.status === 'paused' && state.manualResume) kind = 'ign';

  let duration: number | null = null;
  let flip: FlipChange | null = null;

  if (kind === 'start') {
    next.lastStart = ping.now;
    next.lastStartRid = ping.rid;
  } else if (kind === 'success' || kind === 'fail') {
    next.lastPing = ping.now;
    next.lastDuration = null;
    if (state.lastStart !== null) {
      if (state.lastStartRid === ping.rid) {
        duration = ping.now - state.lastStart;
        next.lastDuration = duration;
        next.lastStart = null;
      } else if (kind === 'fail' || ping.rid === null) {
        next.lastStart = null;
      }
    }
    if (kind === 'success') next.lastSuccess = ping.now;
    else next.lastFail = ping.now;
    next.lastExitCode = ping.exitStatus;
    const newStatus: StoredStatus = kind === 'fail' ? 'down' : 'up';
    if (newStatus !== state.status) {
      flip = { oldStatus: state.status, newStatus, reason: kind === 'fail' ? 'fail' : '' };
      next.status = newStatus;
    }
  }

  next.nPings = state.nPings + 1;
  next.hasConfirmationLink = mentionsConfirm(ping.body);
  // The deadline the scheduler sleeps until, as every other writer of alert_after computes it.
  next.alertAfter = alertDeadline(next, next.alertOnStuck);
  return { kind, n: next.nPings, duration, check: next, flip };
}
