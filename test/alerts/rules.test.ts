// Alert rules end to end on both databases: pings written the way ingestion writes them (the check,
// the ping, then recordFlipsWithNotifications in the same transaction), deadlines through the
// scheduler, notifications through the delivery workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { PingAction } from '../../src/core/ping-classify.js';
import { applyPing } from '../../src/core/ping-effect.js';
import { recordFlipsWithNotifications } from '../../src/store/alerts.js';
import { checkPingStateOf, pingStateColumns } from '../../src/store/check-mapping.js';
import type { Store } from '../../src/store/database.js';
import type { CheckRow, NewCheck, NewFlip, NewPing, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import type { Alerting } from './support.js';
import { HOUR, MINUTE, Recorder, T0, addChannel, addCheck, alertingFor, checkById, flipsOf, notificationsOf, registryOf, seedProject } from './support.js';

describe.each(DIALECTS)('alert rules on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  let clock: ManualClock;
  let recorder: Recorder;
  let alerting: Alerting;
  /** The check under test: checks of earlier tests in the same database are left out. */
  let current: CheckRow;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  async function newCheck(fields: Partial<NewCheck> = {}): Promise<CheckRow> {
    clock = new ManualClock(T0);
    recorder = new Recorder();
    alerting = alertingFor(store, clock, registryOf(recorder));
    current = await addCheck(store, project, { timeout: 3600, grace: 600, ...fields }, [await addChannel(store, project)]);
    return current;
  }

  /** One ping at the clock's time, written as ingestion writes it, then everything due is handled. */
  async function ping(check: CheckRow, action: PingAction): Promise<void> {
    const at = clock.now();
    await store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('checks').selectAll().where('id', '=', check.id).executeTakeFirstOrThrow();
      const effect = applyPing(checkPingStateOf(row), { action, now: at, rid: null, exitStatus: null, body: new Uint8Array() });
      await trx.updateTable('checks').set(pingStateColumns(effect.check)).where('id', '=', check.id).execute();
      const stored: NewPing = {
        check_id: check.id,
        n: effect.n,
        created: at,
        kind: effect.kind === 'success' ? null : effect.kind,
        scheme: 'http',
        method: 'GET',
        ua: '',
        duration: effect.duration,
      };
      await trx.insertInto('pings').values(stored).execute();
      const flips: NewFlip[] = effect.flip
        ? [{ check_id: check.id, created: at, old_status: effect.flip.oldStatus, new_status: effect.flip.newStatus, reason: effect.flip.reason }]
        : [];
      await recordFlipsWithNotifications(trx, store.dialect, flips, at, [stored]);
    });
    await alerting.tick();
  }

  async function run(check: CheckRow, seconds: number, end: PingAction = 'success'): Promise<void> {
    await ping(check, 'start');
    clock.advance(seconds * 1000);
    await ping(check, end);
  }

  const alerts = () => recorder.sent.filter((s) => s.alert.check.code === current.code).map((s) => s.alert);
  const sent = () => alerts().map((alert) => [alert.event.status, alert.event.reason]);

  it('announces failures and recoveries with the downtime, as Healthchecks does', async () => {
    const check = await newCheck();
    await ping(check, 'success');
    clock.advance(MINUTE);
    await ping(check, 'fail');
    clock.advance(90 * MINUTE);
    await ping(check, 'success');
    expect(sent()).toEqual([
      ['down', 'fail'],
      ['up', ''],
    ]);
    expect(alerts()[1]?.event).toMatchObject({ at: T0 + 91 * MINUTE, downtimeMs: 90 * MINUTE });
    const flips = await flipsOf(store, check.id);
    expect(flips.map((f) => [f.old_status, f.new_status, f.alerted])).toEqual([
      ['new', 'up', 0],
      ['up', 'down', 1],
      ['down', 'up', 1],
    ]);
    expect(flips.every((f) => f.processed !== null)).toBe(true);
  });

  it('keeps quiet about failures when alert_on_fail is off, and about their recovery', async () => {
    const check = await newCheck({ alert_on_fail: 0 });
    await ping(check, 'success');
    await ping(check, 'fail');
    expect((await checkById(store, check.id)).status).toBe('down');
    await ping(check, 'success');
    expect(sent()).toEqual([]);
    expect(await notificationsOf(store, check.id)).toHaveLength(0);
  });

  it('keeps quiet about missed pings when alert_on_missed is off', async () => {
    const check = await newCheck({ alert_on_missed: 0 });
    await ping(check, 'success');
    clock.advance(2 * HOUR);
    await alerting.tick();
    expect((await checkById(store, check.id)).status).toBe('down');
    expect(sent()).toEqual([]);
  });

  it('goes down only after the configured number of failures in a row', async () => {
    const check = await newCheck({ failure_threshold: 3 });
    await ping(check, 'success');
    clock.advance(MINUTE);
    await ping(check, 'fail');
    await ping(check, 'fail');
    expect(await checkById(store, check.id)).toMatchObject({ status: 'up', alert_after: T0 + MINUTE + HOUR + 10 * MINUTE });
    await ping(check, 'success');
    await ping(check, 'fail');
    await ping(check, 'fail');
    expect((await checkById(store, check.id)).status).toBe('up');
    expect(sent()).toEqual([]);
    await ping(check, 'fail');
    expect((await checkById(store, check.id)).status).toBe('down');
    expect(sent()).toEqual([['down', 'fail']]);
    await ping(check, 'success');
    expect(sent()).toEqual([
      ['down', 'fail'],
      ['up', ''],
    ]);
  });

  it('still notices a missed ping while failures are below the threshold', async () => {
    const check = await newCheck({ failure_threshold: 2 });
    await ping(check, 'success');
    await ping(check, 'fail');
    clock.advance(HOUR + 10 * MINUTE);
    await alerting.tick();
    expect(sent()).toEqual([['down', 'timeout']]);
  });

  it('treats a run longer than max_duration as a failure when alert_on_long is on', async () => {
    const check = await newCheck({ max_duration: 60, alert_on_long: 1, alert_on_stuck: 0 });
    await run(check, 30);
    await run(check, 120);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'down', alert_after: null });
    expect(sent()).toEqual([['down', 'long']]);
    // Another long run: still down, nothing new to say.
    await run(check, 90);
    expect(sent()).toEqual([['down', 'long']]);
    await run(check, 10);
    expect((await checkById(store, check.id)).status).toBe('up');
    expect(sent()).toEqual([
      ['down', 'long'],
      ['up', ''],
    ]);
  });

  it('announces a long run of a check that went down without a word, then its recovery', async () => {
    const check = await newCheck({ max_duration: 60, alert_on_long: 1, alert_on_stuck: 0, alert_on_missed: 0 });
    await run(check, 30);
    clock.advance(2 * HOUR);
    await alerting.tick();
    expect((await checkById(store, check.id)).status).toBe('down');
    expect(sent()).toEqual([]);
    await run(check, 120);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'down', alert_after: null });
    expect(sent()).toEqual([['down', 'long']]);
    const longAt = clock.now();
    expect((await flipsOf(store, check.id)).map((f) => [f.old_status, f.new_status, f.reason, f.created])).toEqual([
      ['new', 'up', '', T0 + 30_000],
      ['up', 'down', 'timeout', T0 + 30_000 + HOUR + 10 * MINUTE],
      ['down', 'up', '', longAt],
      ['up', 'down', 'long', longAt],
    ]);
    clock.advance(5 * MINUTE);
    await run(check, 10);
    expect(alerts().map((alert) => [alert.event.status, alert.event.downtimeMs])).toEqual([
      ['down', null],
      ['up', 5 * MINUTE + 10_000],
    ]);
  });

  it('leaves long runs alone when alert_on_long is off', async () => {
    const check = await newCheck({ max_duration: 60, alert_on_stuck: 0 });
    await run(check, 30);
    await run(check, 120);
    expect((await checkById(store, check.id)).status).toBe('up');
    expect(sent()).toEqual([]);
  });

  it('treats a run shorter than min_duration as a failure', async () => {
    const check = await newCheck({ min_duration: 30 });
    await run(check, 5);
    expect((await checkById(store, check.id)).status).toBe('down');
    expect(sent()).toEqual([['down', 'short']]);
    await run(check, 45);
    expect(sent()).toEqual([
      ['down', 'short'],
      ['up', ''],
    ]);
  });

  it('reminds at the chosen interval while the check stays down, and stops when it recovers', async () => {
    const check = await newCheck({ reminder_interval: 3600 });
    await ping(check, 'success');
    await ping(check, 'fail');
    expect((await checkById(store, check.id)).next_reminder_at).toBe(T0 + HOUR);
    clock.set(T0 + HOUR - 1);
    await alerting.tick();
    clock.set(T0 + HOUR);
    await alerting.tick();
    expect(sent()).toEqual([
      ['down', 'fail'],
      ['down', 'reminder'],
    ]);
    expect(alerts()[1]?.event).toMatchObject({ at: T0 + HOUR, downtimeMs: HOUR });

    // Nothing ran for hours: one reminder, then back in rhythm.
    clock.set(T0 + 5.5 * HOUR);
    await alerting.tick();
    expect(sent()).toHaveLength(3);
    expect((await checkById(store, check.id)).next_reminder_at).toBe(T0 + 6 * HOUR);

    await ping(check, 'success');
    expect((await checkById(store, check.id)).next_reminder_at).toBeNull();
    // Past the reminder that was planned, before the next ping is due.
    clock.set(T0 + 6.5 * HOUR);
    await alerting.tick();
    expect(sent().map((s) => s[1])).toEqual(['fail', 'reminder', 'reminder', '']);
  });

  it('sends one flapping notice instead of a stream of changes, then goes back to normal', async () => {
    const check = await newCheck({ flap_threshold: 3, flap_window: 600 });
    await ping(check, 'success');
    for (const action of ['fail', 'success', 'fail', 'success', 'fail', 'success'] as const) {
      clock.advance(MINUTE);
      await ping(check, action);
    }
    expect(sent()).toEqual([
      ['down', 'fail'],
      ['up', ''],
      ['down', 'fail'],
      ['up', 'flapping'],
    ]);
    clock.advance(20 * MINUTE);
    await ping(check, 'fail');
    expect(sent().at(-1)).toEqual(['down', 'fail']);
  });

  it('announces flips that were written without notifications', async () => {
    const check = await newCheck();
    await store.db.updateTable('checks').set({ status: 'down' }).where('id', '=', check.id).execute();
    await store.db.insertInto('flips').values({ check_id: check.id, created: T0, old_status: 'up', new_status: 'down', reason: 'fail' }).execute();
    clock.set(T0 + 1000);
    await alerting.tick();
    expect(sent()).toEqual([['down', 'fail']]);
    expect(await flipsOf(store, check.id)).toMatchObject([{ processed: T0 + 1000, alerted: 1 }]);
    await store.db.insertInto('flips').values({ check_id: check.id, created: T0 + HOUR, old_status: 'down', new_status: 'up' }).execute();
    await alerting.tick();
    expect(sent()).toEqual([
      ['down', 'fail'],
      ['up', ''],
    ]);
    expect(alerts()[1]?.event.downtimeMs).toBe(HOUR);
  });
});
