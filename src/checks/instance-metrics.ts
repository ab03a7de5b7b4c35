// Counters of the whole instance for Healthchecks' internal `metrics/` endpoint (not Prometheus).
import type { Store } from '../store/database.js';
import { countUnprocessedFlips } from '../store/flips.js';
import { maxPingId } from '../store/pings.js';

export interface InstanceMetrics {
  maxPingId: number | null;
  unprocessedFlips: number;
}

export async function instanceMetrics(store: Store): Promise<InstanceMetrics> {
  const [max, unprocessed] = await Promise.all([maxPingId(store.db), countUnprocessedFlips(store.db)]);
  return { maxPingId: max, unprocessedFlips: unprocessed };
}
