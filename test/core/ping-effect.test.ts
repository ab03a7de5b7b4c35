// What one ping does to its check (spec §1.4), as pure logic.
import { describe, expect, it } from 'vitest';
import type { CheckPingState } from '../../src/core/ping-effect.js';
import { applyPing } from '../../src/core/ping-effect.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const RID_A = 'aaaaaaaa-0000-4000-8000-000000000000';
const RID_B = 'bbbbbbbb-0000-4000-8000-000000000000';
const empty = Buffer.alloc(0);

function check(overrides: Partial<CheckPingState> = {}): CheckPingState {
  return {
    kind: 'simple',
    timeout: 3600,
    grace: 60,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'new',
    lastPing: null,
    lastStart: null,
    maxDuration: null,
    alertOnStuck: true,
    manualResume: false,
    hasConfirmationLink: false,
    alertAfter: null,
    nPings: 0,
    lastStartRid: null,
    lastDuration: null,
    lastSuccess: null,
    lastFail: null,
    lastExitCode: null,
    ...overrides,
  };
}

const ping = (action: 'success' | 'start' | 'fail' | 'log' | 'ign', now = T, rid: string | null = null, body = empty) =>
  ({ action, now, rid, exitStatus: null, body }) as const;

describe('applyPing', () => {
  it('a success marks the check up, sets last_ping and arms the deadline', () => {
    const effect = applyPing(check(), ping('success'));
    expect(effect.check).toMatchObject({ status: 'up', lastPing: T, nPings: 1, alertAfter: T + 3660_000 });
    expect(effect.flip).toEqual({ oldStatus: 'new', newStatus: 'up', reason: '' });
    expect(effect.n).toBe(1);
  });

  it('a failure marks the check down with reason "fail"', () => {
    const effect = applyPing(check({ status: 'up', lastPing: T - 1000 }), ping('fail'));
    expect(effect.check.status).toBe('down');
    expect(effect.check.alertAfter).toBeNull();
    expect(effect.flip).toEqual({ oldStatus: 'up', newStatus: 'down', reason: 'fail' });
  });

  it('no flip when the status does not change', () => {
    expect(applyPing(check({ status: 'up', lastPing: T - 1000 }), ping('success')).flip).toBeNull();
  });

  it('a start records the run without touching status or last_ping, and the deadline becomes start + grace', () => {
    const effect = applyPing(check(), ping('start', T, RID_A));
    expect(effect.check).toMatchObject({ status: 'new', lastPing: null, lastStart: T, lastStartRid: RID_A, alertAfter: T + 60_000 });
    expect(effect.flip).toBeNull();
  });

  it('a completion with the same run id measures the duration and clears the start', () => {
    const started = applyPing(check(), ping('start', T, RID_A)).check;
    const effect = applyPing(started, ping('success', T + 5000, RID_A));
    expect(effect.duration).toBe(5000);
    expect(effect.check).toMatchObject({ lastDuration: 5000, lastStart: null });
  });

  it('a success with another run id keeps the start running', () => {
    const started = applyPing(check(), ping('start', T, RID_A)).check;
    const effect = applyPing(started, ping('success', T + 5000, RID_B));
    expect(effect.duration).toBeNull();
    expect(effect.check).toMatchObject({ lastStart: T, lastDuration: null });
  });

  it('a failure or a success without run id ends a start of another run without a duration', () => {
    const started = applyPing(check(), ping('start', T, RID_A)).check;
    expect(applyPing(started, ping('fail', T + 1, RID_B)).check.lastStart).toBeNull();
    expect(applyPing(started, ping('success', T + 1, null)).check.lastStart).toBeNull();
    expect(applyPing(started, ping('success', T + 1, null)).duration).toBeNull();
  });

  it('log and ignored pings change nothing but the count', () => {
    const before = check({ status: 'up', lastPing: T - 1000 });
    for (const action of ['log', 'ign'] as const) {
      const effect = applyPing(before, ping(action));
      expect(effect.check).toMatchObject({ status: 'up', lastPing: T - 1000, nPings: 1 });
      expect(effect.flip).toBeNull();
      expect(effect.kind).toBe(action);
    }
  });

  it('a paused check with manual resume records everything as ignored', () => {
    const effect = applyPing(check({ status: 'paused', manualResume: true }), ping('fail'));
    expect(effect.kind).toBe('ign');
    expect(effect.check.status).toBe('paused');
  });

  it('a paused check without manual resume resumes on a success', () => {
    const effect = applyPing(check({ status: 'paused' }), ping('success'));
    expect(effect.check.status).toBe('up');
    expect(effect.flip).toEqual({ oldStatus: 'paused', newStatus: 'up', reason: '' });
  });

  it('notes whether the body mentions a confirmation, in any case', () => {
    expect(applyPing(check(), ping('success', T, null, Buffer.from('CONFIRM here'))).check.hasConfirmationLink).toBe(true);
    expect(applyPing(check({ hasConfirmationLink: true }), ping('success')).check.hasConfirmationLink).toBe(false);
  });

  it('does not modify the state it was given', () => {
    const before = check();
    applyPing(before, ping('success'));
    expect(before).toEqual(check());
  });
});

describe('the deadline a ping sets for a run with max_duration', () => {
  const MINUTE = 60_000;
  // Pinged a minute ago; period 1 hour, grace 10 minutes.
  const up = (overrides: Partial<CheckPingState> = {}) => check({ status: 'up', lastPing: T - MINUTE, grace: 600, ...overrides });
  const startAt = (state: CheckPingState) => applyPing(state, ping('start')).check.alertAfter;

  it('a start arms the earlier stuck deadline when max_duration is shorter than grace', () => {
    expect(startAt(up({ maxDuration: 120 }))).toBe(T + 2 * MINUTE);
  });

  it('with alert_on_stuck off the run is given grace, as in Healthchecks', () => {
    expect(startAt(up({ maxDuration: 120, alertOnStuck: false }))).toBe(T + 10 * MINUTE);
  });

  it('a start gives the run its max_duration when that is longer than grace', () => {
    expect(startAt(up({ maxDuration: 1800 }))).toBe(T + 30 * MINUTE);
    expect(startAt(up({ maxDuration: 1800, alertOnStuck: false }))).toBe(T + 30 * MINUTE);
  });

  it('without max_duration a start arms start + grace', () => {
    expect(startAt(up())).toBe(T + 10 * MINUTE);
  });

  it('the finish of the run brings the period’s deadline back', () => {
    const running = applyPing(up({ maxDuration: 120 }), ping('start')).check;
    const done = applyPing(running, ping('success', T + MINUTE));
    expect(done.check).toMatchObject({ lastStart: null, alertAfter: T + MINUTE + 70 * MINUTE });
  });

  it('a start on a paused check (without manual resume) and on a new one arms the stuck deadline', () => {
    expect(startAt(check({ status: 'paused', lastPing: T - MINUTE, maxDuration: 120 }))).toBe(T + 2 * MINUTE);
    expect(startAt(check({ maxDuration: 120 }))).toBe(T + 2 * MINUTE);
    expect(startAt(check({ status: 'paused', manualResume: true, maxDuration: 120 }))).toBeNull();
  });

  it('a start on a down check arms nothing', () => {
    expect(startAt(check({ status: 'down', lastPing: T - MINUTE, maxDuration: 120 }))).toBeNull();
  });

  it('a start on a cron check in its time zone is covered past the scheduled time’s grace', () => {
    // 03:00 in Berlin (CET, UTC+1) on 2026-01-01 is 02:00 UTC.
    const start = Date.parse('2026-01-01T02:00:00Z');
    const cron = check({ kind: 'cron', schedule: '0 3 * * *', tz: 'Europe/Berlin', status: 'up', lastPing: start - 86_400_000 + 2000, grace: 600 });
    expect(applyPing({ ...cron, maxDuration: 1800 }, ping('start', start)).check.alertAfter).toBe(start + 30 * MINUTE);
    expect(applyPing({ ...cron, maxDuration: 120 }, ping('start', start)).check.alertAfter).toBe(start + 2 * MINUTE);
    expect(applyPing(cron, ping('start', start)).check.alertAfter).toBe(start + 10 * MINUTE);
  });
});
