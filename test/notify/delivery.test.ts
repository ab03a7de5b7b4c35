// The outbox and its delivery workers, on both databases: one notification per channel and event,
// what integrations are told, retries that survive restarts, permanent errors, leases, timeouts
// and rate limits. Integrations are stood in for by an in-memory channel kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_RETRY_DELAYS_MS } from '../../src/notify/retry-policy.js';
import type { Store } from '../../src/store/database.js';
import { claimDueNotifications, recordAttemptResults } from '../../src/store/notifications.js';
import type { ChannelRow, CheckRow, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { ManualSleep, eventually } from '../support/manual-sleep.js';
import type { RecorderConfig } from '../alerts/support.js';
import { MINUTE, Recorder, T0, addChannel, addCheck, alertingFor, notificationsOf, registryOf, seedProject } from '../alerts/support.js';

describe.each(DIALECTS)('notification delivery on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  /** A check that goes down at `base` + 2 min, with these channels. */
  async function dueCheck(base: number, channels: ChannelRow[], name = 'nightly backup'): Promise<CheckRow> {
    return addCheck(store, project, { name, timeout: 60, grace: 60, status: 'up', last_ping: base, alert_after: base + 2 * MINUTE, tags: 'prod db' }, channels);
  }

  async function channel(config: RecorderConfig = {}, kind = 'recorder'): Promise<ChannelRow> {
    return addChannel(store, project, kind, config);
  }

  async function channelRow(id: number): Promise<ChannelRow> {
    return store.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function attemptsOf(notificationId: number) {
    return store.db.selectFrom('notification_attempts').selectAll().where('notification_id', '=', notificationId).orderBy('id').execute();
  }

  it('sends one notification per enabled channel that sends for the status, and tells it everything', async () => {
    const clock = new ManualClock(T0);
    const recorder = new Recorder();
    const alerting = alertingFor(store, clock, registryOf(recorder));
    const [a, b, quiet, disabled] = [await channel(), await channel(), await channel({ skip: 'down' }), await channel()];
    await store.db.updateTable('channels').set({ disabled: 1 }).where('id', '=', disabled.id).execute();
    // As the channels service saves it: the definition says it sends nothing for "down".
    await store.db.updateTable('channels').set({ send_down: 0 }).where('id', '=', quiet.id).execute();
    const check = await dueCheck(T0, [a, b, quiet, disabled]);
    await store.db.insertInto('pings').values({ check_id: check.id, n: 1, created: T0, kind: null, scheme: 'http', method: 'POST', ua: 'curl', body: Buffer.from('all good'), exit_status: 0 }).execute();
    await store.db.updateTable('checks').set({ n_pings: 1 }).where('id', '=', check.id).execute();

    clock.set(T0 + 5 * MINUTE);
    await alerting.tick();

    const rows = await notificationsOf(store, check.id);
    expect(rows.map((r) => r.channel_id).sort()).toEqual([a.id, b.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'sent', attempts: 1, error: '', claimed_by: null });
      // Sent when the attempt that started at the clock's time ended (its duration is real time).
      expect(row.sent_at).toBeGreaterThanOrEqual(T0 + 5 * MINUTE);
      expect(row.sent_at).toBeLessThan(T0 + 5 * MINUTE + 1000);
      expect(await attemptsOf(row.id)).toMatchObject([{ started: T0 + 5 * MINUTE, error: '' }]);
    }
    expect(recorder.sent).toHaveLength(2);
    const alert = recorder.sent[0]?.alert;
    expect(alert).toMatchObject({
      site: { name: 'Lookout', root: 'http://lookout.test' },
      project: { code: project.code, name: project.name },
      check: { code: check.code, name: 'nightly backup', tags: 'prod db', kind: 'simple', timeout: 60, grace: 60, nPings: 1, detailsUrl: `http://lookout.test/checks/${check.code}/details/` },
      event: { status: 'down', reason: 'timeout', at: T0 + 2 * MINUTE, downtimeMs: null },
      lastPing: { kind: null, body: 'all good', exitStatus: 0 },
    });
    expect(alert?.check.json).toEqual({ name: 'nightly backup' });
    expect(new Set(recorder.sent.map((s) => s.alert.event.notificationId))).toEqual(new Set(rows.map((r) => r.code)));
    expect(await channelRow(a.id)).toMatchObject({ last_notify: T0 + 5 * MINUTE, last_error: '' });
    expect((await channelRow(a.id)).last_notify_duration).not.toBeNull();

    // Nothing is sent twice.
    await alerting.tick();
    expect(recorder.sent).toHaveLength(2);
  });

  it("reads the check's JSON only for channels whose messages may show it", async () => {
    const clock = new ManualClock(T0);
    const showing = new Recorder();
    const plain = new Recorder('plain', false);
    const alerting = alertingFor(store, clock, registryOf(showing, plain));
    await dueCheck(T0, [await channel()], 'shown');
    const check = await dueCheck(T0, [await channel({}, 'plain')], 'told');

    clock.set(T0 + 5 * MINUTE);
    await alerting.tick();
    expect(showing.sent.map((s) => s.alert.check.json)).toEqual([{ name: 'shown' }]);
    const told = plain.sent[0]?.alert;
    expect(told?.check).toMatchObject({ code: check.code, name: 'told', tags: 'prod db', timeout: 60, grace: 60, nPings: 0 });
    expect(() => told?.check.json).toThrow("the check's JSON was not read for this channel");
  });

  it('drops a notification queued for a channel that has since stopped sending for its status', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const recorder = new Recorder();
    const target = await channel();
    const check = await dueCheck(T0, [target]);
    const alerting = alertingFor(store, clock, registryOf(recorder));
    await alerting.scheduler.runDue();
    await store.db.updateTable('channels').set({ value: JSON.stringify({ skip: 'down' }) }).where('id', '=', target.id).execute();
    await alerting.delivery.runDue();
    expect(recorder.sent).toHaveLength(0);
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'failed', attempts: 0, error: 'The channel sends nothing for "down"' }]);
    expect(await channelRow(target.id)).toMatchObject({ last_notify: null, last_error: '' });
  });

  it('retries a failing channel with growing delays, across a restart, then gives up', async () => {
    const clock = new ManualClock(T0);
    const recorder = new Recorder();
    const failing = await channel({ behaviour: 'fail' });
    const healthy = await channel();
    const check = await dueCheck(T0, [failing, healthy]);

    clock.set(T0 + 2 * MINUTE);
    await alertingFor(store, clock, registryOf(recorder)).tick();
    const failedRow = () => notificationsOf(store, check.id).then((rows) => rows.find((r) => r.channel_id === failing.id));
    expect(await failedRow()).toMatchObject({ state: 'pending', attempts: 1, error: 'Received status code 500', next_attempt_at: T0 + 2 * MINUTE + 5_000 });
    expect((await notificationsOf(store, check.id)).find((r) => r.channel_id === healthy.id)).toMatchObject({ state: 'sent' });
    expect(await channelRow(failing.id)).toMatchObject({ last_error: 'Received status code 500', disabled: 0 });

    // Each retry is made by a fresh set of workers, as after a restart: the schedule is in the database.
    let at = T0 + 2 * MINUTE;
    for (const [index, delay] of DEFAULT_RETRY_DELAYS_MS.entries()) {
      clock.set(at + delay - 1);
      await alertingFor(store, clock, registryOf(recorder)).delivery.runDue();
      expect((await failedRow())?.attempts).toBe(index + 1);
      at += delay;
      clock.set(at);
      await alertingFor(store, clock, registryOf(recorder)).delivery.runDue();
      expect((await failedRow())?.attempts).toBe(index + 2);
    }
    const row = await failedRow();
    expect(row).toMatchObject({ state: 'failed', attempts: DEFAULT_RETRY_DELAYS_MS.length + 1, error: 'Received status code 500' });
    expect(await attemptsOf(row?.id as number)).toHaveLength(DEFAULT_RETRY_DELAYS_MS.length + 1);
    clock.advance(24 * 3_600_000);
    await alertingFor(store, clock, registryOf(recorder)).delivery.runDue();
    expect((await failedRow())?.attempts).toBe(DEFAULT_RETRY_DELAYS_MS.length + 1);
  });

  it('disables a channel on a permanent error and records why', async () => {
    const clock = new ManualClock(T0);
    const recorder = new Recorder();
    const broken = await channel({ behaviour: 'permanent' });
    const check = await dueCheck(T0, [broken]);
    clock.set(T0 + 2 * MINUTE);
    await alertingFor(store, clock, registryOf(recorder)).tick();
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'failed', attempts: 1, error: 'Received status code 404' }]);
    expect(await channelRow(broken.id)).toMatchObject({ disabled: 1, last_error: 'Received status code 404' });

    // A disabled channel gets nothing queued for later events.
    const later = await dueCheck(T0 + 10 * MINUTE, [broken]);
    clock.set(T0 + 12 * MINUTE);
    await alertingFor(store, clock, registryOf(recorder)).tick();
    expect(await notificationsOf(store, later.id)).toHaveLength(0);
  });

  it('treats a channel whose configuration no longer validates as permanently broken', async () => {
    const clock = new ManualClock(T0);
    const bad = await channel({ behaviour: 'explode' as never });
    const check = await dueCheck(T0, [bad]);
    clock.set(T0 + 2 * MINUTE);
    await alertingFor(store, clock, registryOf(new Recorder())).tick();
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'failed', error: 'Invalid configuration: behaviour: unknown "explode"' }]);
    expect(await channelRow(bad.id)).toMatchObject({ disabled: 1 });
  });

  it('delivers again a notification whose worker died mid-send, once its lease ends, and only once', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const recorder = new Recorder();
    const target = await channel();
    const check = await dueCheck(T0, [target]);
    const alerting = alertingFor(store, clock, registryOf(recorder), { leaseMs: 60_000 });
    await alerting.scheduler.runDue();

    // A worker claims the row and dies before finishing it.
    const [claimed] = await claimDueNotifications(store, { now: clock.now(), limit: 10, leaseMs: 60_000, token: 'dead-worker:1', skipChannels: [] });
    expect(claimed).toMatchObject({ check_id: check.id, attempts: 1 });
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'sending', attempts: 1, claimed_by: 'dead-worker:1' }]);

    clock.advance(59_999);
    await alerting.delivery.runDue();
    expect(recorder.sent).toHaveLength(0);

    clock.advance(1);
    await alerting.delivery.runDue();
    expect(recorder.sent).toHaveLength(1);
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'sent', attempts: 2 }]);

    // The dead worker's late result cannot change the delivered row.
    const applied = await store.db.transaction().execute((trx) =>
      recordAttemptResults(trx, store, [
        { notificationId: claimed?.id as number, channelId: target.id, token: 'dead-worker:1', worker: 'dead', started: clock.now(), duration: 1, outcome: { kind: 'retry', nextAttemptAt: clock.now(), error: 'late' } },
      ]),
    );
    expect(applied.size).toBe(0);
    await alerting.delivery.runDue();
    expect(recorder.sent).toHaveLength(1);
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'sent' }]);
  });

  it('times out a channel that never answers without holding up the others', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const recorder = new Recorder();
    const sleep = new ManualSleep(clock);
    const hanging = await channel({ behaviour: 'hang' });
    const checks: CheckRow[] = [];
    const healthy: ChannelRow[] = [];
    for (let i = 0; i < 3; i++) healthy.push(await channel());
    for (let i = 0; i < 3; i++) checks.push(await dueCheck(T0, [hanging, ...healthy]));
    const alerting = alertingFor(store, clock, registryOf(recorder), { attemptTimeoutMs: 800, concurrency: 4, perChannel: 2, sleep: sleep.sleep });
    await alerting.scheduler.runDue();

    const started = Date.now();
    alerting.delivery.start();
    try {
      await eventually(() => recorder.sent.length === 9);
      // Every healthy delivery went out while the hanging channel was still waiting for its answer.
      expect(Date.now() - started).toBeLessThan(800);
      await eventually(async () => {
        const rows = await store.db.selectFrom('notifications').selectAll().where('channel_id', '=', hanging.id).execute();
        return rows.length === 3 && rows.every((r) => r.state === 'pending' && r.error === 'Connection timed out');
      });
    } finally {
      await alerting.delivery.stop();
    }
  });

  it('holds back messages to a rate-limited destination instead of dropping them', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const limited = new Recorder();
    Object.assign(limited, { kind: 'telegram' });
    const target = await channel({}, 'telegram');
    const checks: CheckRow[] = [];
    for (let i = 0; i < 8; i++) checks.push(await dueCheck(T0, [target]));
    const alerting = alertingFor(store, clock, registryOf(limited));
    await alerting.tick();
    expect(limited.sent).toHaveLength(6);
    const waiting = await store.db.selectFrom('notifications').selectAll().where('channel_id', '=', target.id).where('state', '=', 'pending').execute();
    expect(waiting).toHaveLength(2);
    for (const row of waiting) expect(row).toMatchObject({ attempts: 0, error: '' });
    expect(waiting.map((r) => r.next_attempt_at).sort()).toEqual([T0 + 2 * MINUTE + 10_000, T0 + 2 * MINUTE + 10_000]);

    clock.advance(10_000);
    await alerting.delivery.runDue();
    expect(limited.sent).toHaveLength(7);
    clock.advance(10_000);
    await alerting.delivery.runDue();
    expect(limited.sent).toHaveLength(8);
  });

  /** A recorder whose sends wait until the test opens the gate, counting how many run at once. */
  function gatedRecorder() {
    const recorder = new Recorder();
    let open: () => void = () => {};
    let gate = new Promise<void>((resolve) => (open = resolve));
    const state = { running: 0, most: 0 };
    recorder.send = async (config, alert) => {
      recorder.attempts++;
      state.running++;
      state.most = Math.max(state.most, state.running);
      await gate;
      state.running--;
      recorder.sent.push({ config, alert });
    };
    return {
      recorder,
      state,
      open: () => open(),
      close: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    };
  }

  it('delivers a burst once per notification, never more sends to a channel than its share', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const { recorder, state, open } = gatedRecorder();
    open();
    const target = await channel();
    const checks: CheckRow[] = [];
    for (let i = 0; i < 300; i++) checks.push(await dueCheck(T0, [target], `burst ${i}`));
    const alerting = alertingFor(store, clock, registryOf(recorder), { concurrency: 16, perChannel: 8, claimSize: 200 });
    await alerting.scheduler.runDue();
    await alerting.delivery.runDue();
    expect(state.most).toBeLessThanOrEqual(8);
    expect(new Set(recorder.sent.map((s) => s.alert.event.notificationId)).size).toBe(300);
    expect(recorder.attempts).toBe(300);
    const rows = await store.db.selectFrom('notifications').selectAll().where('channel_id', '=', target.id).execute();
    expect(rows).toHaveLength(300);
    for (const row of rows) expect(row).toMatchObject({ state: 'sent', attempts: 1, claimed_by: null });
    const attempts = await store.db
      .selectFrom('notification_attempts')
      .select('notification_id')
      .where('notification_id', 'in', rows.map((r) => r.id))
      .execute();
    expect(attempts).toHaveLength(300);
  });

  it('keeps for a dead destination only its sends in flight, and goes on claiming for the others', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const sleep = new ManualSleep(clock);
    const recorder = new Recorder();
    const dead = await channel({ behaviour: 'hang' });
    const healthy = await channel();
    const stuck: CheckRow[] = [];
    for (let i = 0; i < 10; i++) stuck.push(await dueCheck(T0, [dead]));
    const fine: CheckRow[] = [];
    for (let i = 0; i < 5; i++) fine.push(await dueCheck(T0, [healthy]));
    const alerting = alertingFor(store, clock, registryOf(recorder), { concurrency: 8, perChannel: 2, claimSize: 10, attemptTimeoutMs: 3_000, sleep: sleep.sleep });
    await alerting.scheduler.runDue();
    const started = Date.now();
    alerting.delivery.start();
    try {
      // The first claim took the dead channel's ten rows: it kept two (its sends) and gave the rest back.
      await eventually(() => recorder.sent.length === 5);
      // Long before the dead channel's sends time out.
      expect(Date.now() - started).toBeLessThan(3_000);
      const deadRows = () => store.db.selectFrom('notifications').selectAll().where('channel_id', '=', dead.id).execute();
      await eventually(async () => (await deadRows()).filter((r) => r.state === 'sending').length === 2);
      for (const row of (await deadRows()).filter((r) => r.state !== 'sending')) {
        expect(row).toMatchObject({ state: 'pending', attempts: 0, error: '' });
      }
    } finally {
      await alerting.delivery.stop();
      // Its rows stay due: they would go to the next tests' workers.
      await store.db.deleteFrom('channels').where('id', '=', dead.id).execute();
    }
  });

  it('gives back the rows it has not started when it stops', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const sleep = new ManualSleep(clock);
    const { recorder, open } = gatedRecorder();
    const [first, second] = [await channel(), await channel()];
    const checks = [await dueCheck(T0, [first]), await dueCheck(T0, [second])];
    // One send at a time: the second channel's row waits in its lane.
    const alerting = alertingFor(store, clock, registryOf(recorder), { concurrency: 1, perChannel: 1, sleep: sleep.sleep });
    await alerting.scheduler.runDue();
    alerting.delivery.start();
    await eventually(() => recorder.attempts === 1);
    const stopped = alerting.delivery.stop();
    open();
    await stopped;
    expect(recorder.sent).toHaveLength(1);
    const rows = (await Promise.all(checks.map((c) => notificationsOf(store, c.id)))).flat();
    expect(rows.map((r) => r.state).sort()).toEqual(['pending', 'sent']);
    // Not attempted: due at once, for whoever claims next.
    expect(rows.find((r) => r.state === 'pending')).toMatchObject({ attempts: 0, error: '', claimed_by: null, next_attempt_at: T0 + 2 * MINUTE });
    await alertingFor(store, clock, registryOf(recorder)).delivery.runDue();
    expect(recorder.sent).toHaveLength(2);
  });

  it('gives back a claimed row instead of starting it once its lease is too short for an attempt', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const gated = gatedRecorder();
    const [first, second] = [await channel(), await channel()];
    const [, waiting] = [await dueCheck(T0, [first]), await dueCheck(T0, [second])];
    const alerting = alertingFor(store, clock, registryOf(gated.recorder), {
      workerId: 'lease-test',
      concurrency: 1,
      perChannel: 1,
      attemptTimeoutMs: 1_000,
      leaseMs: 2_000,
    });
    await alerting.scheduler.runDue();
    const running = alerting.delivery.runDue();
    await eventually(() => gated.recorder.attempts === 1);
    // The other row waited (one send at a time) until less than an attempt and a half of its lease was left.
    clock.advance(501);
    gated.open();
    gated.close();
    // It went back to the outbox unattempted and came back in a second claim, its attempt refunded.
    await eventually(() => gated.recorder.attempts === 2);
    expect(await notificationsOf(store, waiting.id)).toMatchObject([
      { state: 'sending', attempts: 1, claimed_by: expect.stringMatching(/^lease-test:(?!1$)\d+$/) },
    ]);
    gated.open();
    await running;
    const [row] = await notificationsOf(store, waiting.id);
    expect(row).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await attemptsOf(row?.id as number)).toMatchObject([{ started: T0 + 2 * MINUTE + 501 }]);
  });

  it('records an integration that throws something unexpected as a failed attempt', async () => {
    const clock = new ManualClock(T0 + 2 * MINUTE);
    const buggy = new Recorder();
    buggy.send = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const target = await channel();
    const check = await dueCheck(T0, [target]);
    await alertingFor(store, clock, registryOf(buggy)).tick();
    expect(await notificationsOf(store, check.id)).toMatchObject([{ state: 'pending', attempts: 1, error: 'Unexpected error: cannot read properties of undefined' }]);
  });
});
