// Counters of the whole instance for Healthchecks' internal `metrics/` endpoint (not Prometheus).
import type { Store } from '../store/database.js';
import { countUnprocessedFlips } from '../store/flips.js';
import { maxNotificationId } from '../store/notifications.js';
import { maxPingId } from '../store/pings.js';

export interface InstanceMetrics {
  maxPingId: number | null;
  /** The newest row of the notification outbox (Healthchecks: of its Notification table). */
  maxNotificationId: number | null;
  unprocessedFlips: number;
}

export async function instanceMetrics(store: Store): Promise<InstanceMetrics> {
  const [pings, notifications, unprocessed] = await Promise.all([
    maxPingId(store.db),
    maxNotificationId(store.db),
    countUnprocessedFlips(store.db),
  ]);
  return { maxPingId: pings, maxNotificationId: notifications, unprocessedFlips: unprocessed };
}
