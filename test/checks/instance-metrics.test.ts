// The counters of Healthchecks' internal metrics/ endpoint on both databases: the newest ping and
// notification ids, and the flips still to be announced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceMetrics } from '../../src/checks/instance-metrics.js';
import type { Store } from '../../src/store/database.js';
import { insertFinishedNotification, queueNotifications } from '../../src/store/notifications.js';
import type { ChannelRow, CheckRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { T0, addChannel, addCheck, seedProject } from '../alerts/support.js';

describe.each(DIALECTS)('instance metrics on %s', (dialect) => {
  let store: Store;
  let check: CheckRow;
  let channel: ChannelRow;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    const project = await seedProject(store);
    channel = await addChannel(store, project);
    check = await addCheck(store, project, {}, [channel]);
  });
  afterAll(async () => {
    await store?.close();
  });

  const notificationIds = async () => (await store.db.selectFrom('notifications').select('id').orderBy('id').execute()).map((r) => Number(r.id));

  it('has no newest notification before the first one', async () => {
    expect(await instanceMetrics(store)).toEqual({ maxPingId: null, maxNotificationId: null, unprocessedFlips: 0 });
  });

  it('gives the id of the newest notification row, whatever its state', async () => {
    const down = { check_id: check.id, channel_id: channel.id, status: 'down' as const, reason: 'stuck', event_at: T0, downtime: null };
    await queueNotifications(store.db, store.dialect, [down, { ...down, status: 'up', reason: '' }], T0);
    const queued = await notificationIds();
    expect(queued).toHaveLength(2);
    expect((await instanceMetrics(store)).maxNotificationId).toBe(Math.max(...queued));

    // A test send is a notification row too.
    const testSend = await insertFinishedNotification(store.db, { ...down, check_id: null, reason: 'test', created: T0 + 1, state: 'sent', error: '', sent_at: T0 + 1 });
    expect(Number(testSend)).toBeGreaterThan(Math.max(...queued));
    expect((await instanceMetrics(store)).maxNotificationId).toBe(Number(testSend));
  });
});
