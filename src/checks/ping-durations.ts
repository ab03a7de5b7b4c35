// Run durations in the ping log (spec §1.6, §3.12), computed like Healthchecks' prepare_durations:
// one pass over the page from oldest to newest pairs each success or fail with the latest start of
// the same run id (null pairs with null), unless a success or fail of that run id came between, and
// only when the start is less than 72 hours earlier. A completion whose run id has no event on the
// page needs a look further back; more than ten such look-ups and no durations are shown at all,
// so that one page never costs more than a bounded number of queries.
import type { PingKind } from '../store/schema.js';

export const MAX_DURATION_MS = 72 * 3600 * 1000;
export const MAX_LOOKUPS = 10;

export interface RunPing {
  n: number;
  created: number;
  kind: PingKind;
  rid: string | null;
}

export interface PagePairing {
  /** Per ping (same order as given): milliseconds, or null for no duration. */
  durations: (number | null)[];
  /** Indexes of completions whose start may lie before the page; empty when over the limit. */
  lookups: number[];
}

export function completesRun(kind: PingKind): boolean {
  return kind === null || kind === 'fail';
}

/** Pairs the pings of one page, given newest first as the API lists them. */
export function pairDurations(pings: RunPing[]): PagePairing {
  const durations: (number | null)[] = pings.map(() => null);
  const lookups: number[] = [];
  // Per run id: the start waiting for its completion, or null once a completion consumed it.
  const openStarts = new Map<string | null, number | null>();
  for (let i = pings.length - 1; i >= 0; i--) {
    const ping = pings[i] as RunPing;
    if (ping.kind === 'start') {
      openStarts.set(ping.rid, ping.created);
    } else if (completesRun(ping.kind)) {
      if (!openStarts.has(ping.rid)) {
        lookups.push(i);
      } else {
        const start = openStarts.get(ping.rid);
        if (start !== null && start !== undefined && ping.created - start < MAX_DURATION_MS) {
          durations[i] = ping.created - start;
        }
      }
      openStarts.set(ping.rid, null);
    }
  }
  if (lookups.length > MAX_LOOKUPS) return { durations: pings.map(() => null), lookups: [] };
  return { durations, lookups };
}

/** The duration of a completion whose latest earlier run event (same run id) is `previous`. */
export function durationFromPrevious(
  ping: RunPing,
  previous: { kind: PingKind; created: number } | undefined,
): number | null {
  if (ping.n === 1 || previous === undefined || previous.kind !== 'start') return null;
  return ping.created - previous.created;
}
