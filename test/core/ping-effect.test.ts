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
