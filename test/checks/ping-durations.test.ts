// Run durations in the ping log: pairing by run id within a page, the 72-hour limit, and the
// look-ups beyond the page (spec §1.6, §3.12).
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, durationFromPrevious, pairDurations } from '../../src/checks/ping-durations.js';
import type { RunPing } from '../../src/checks/ping-durations.js';

const MIN = 60_000;

/** Pings given oldest first (easier to read), returned newest first as the API lists them. */
function page(...pings: [kind: RunPing['kind'], minute: number, rid?: string][]): RunPing[] {
  return pings.map(([kind, minute, rid], i) => ({ n: i + 1, created: minute * MIN, kind, rid: rid ?? null })).reverse();
}

describe('pairDurations', () => {
  it('pairs interleaved runs by run id (the spec example)', () => {
    const pings = page(['start', 0, 'a'], ['start', 1, 'b'], [null, 2, 'a'], [null, 6, 'b']);
    expect(pairDurations(pings)).toEqual({ durations: [5 * MIN, 2 * MIN, null, null], lookups: [] });
  });

  it('pairs a start without run id with a completion without run id', () => {
    expect(pairDurations(page(['start', 0], ['fail', 3])).durations).toEqual([3 * MIN, null]);
  });

  it('gives no duration when another completion of the same run came in between', () => {
    expect(pairDurations(page(['start', 0], [null, 1], [null, 2])).durations).toEqual([null, MIN, null]);
  });

  it('ignores log and ign pings when pairing', () => {
    expect(pairDurations(page(['start', 0], ['log', 1], ['ign', 2], [null, 3])).durations).toEqual([3 * MIN, null, null, null]);
  });

  it('gives no duration for a start 72 hours or more earlier', () => {
    const minutes72h = MAX_DURATION_MS / MIN;
    expect(pairDurations(page(['start', 0], [null, minutes72h])).durations).toEqual([null, null]);
    expect(pairDurations(page(['start', 0], [null, minutes72h - 1])).durations).toEqual([MAX_DURATION_MS - MIN, null]);
  });

  it('asks for a look-up for a completion whose run has no event on the page', () => {
    expect(pairDurations(page([null, 0], ['start', 1], [null, 2])).lookups).toEqual([2]);
  });

  it('asks for at most ten look-ups, and gives no durations at all beyond that', () => {
    const ten = page(...Array.from({ length: 10 }, (_, i) => [null, i, `r${i}`] as [null, number, string]), ['start', 20], [null, 21]);
    expect(pairDurations(ten).lookups).toHaveLength(10);
    expect(pairDurations(ten).durations[0]).toBe(MIN);
    const eleven = page(...Array.from({ length: 11 }, (_, i) => [null, i, `r${i}`] as [null, number, string]), ['start', 20], [null, 21]);
    expect(pairDurations(eleven)).toEqual({ durations: eleven.map(() => null), lookups: [] });
  });
});

describe('durationFromPrevious', () => {
  const ping: RunPing = { n: 5, created: 10 * MIN, kind: null, rid: null };

  it('measures from an earlier start', () => {
    expect(durationFromPrevious(ping, { kind: 'start', created: 4 * MIN })).toBe(6 * MIN);
  });

  it('gives nothing when the previous run event is a completion, or there is none', () => {
    expect(durationFromPrevious(ping, { kind: 'fail', created: 4 * MIN })).toBeNull();
    expect(durationFromPrevious(ping, undefined)).toBeNull();
  });

  it('gives nothing for the very first ping', () => {
    expect(durationFromPrevious({ ...ping, n: 1 }, { kind: 'start', created: 0 })).toBeNull();
  });
});
