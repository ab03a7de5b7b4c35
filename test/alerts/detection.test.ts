// The detection engine on both databases: each kind of deadline makes the check go down at its
// exact moment, once, whatever the batch size, the clock or the number of processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineScheduler } from '../../src/alerts/scheduler.js';
import { ManualClock } from '../../src/clock.js';
import { alertDeadline } from '../../src/core/alert-rules.js';
import { checkTimingOf } from '../../src/store/check-mapping.js';
import type { Store } from '../../src/store/database.js';
import { migrate, openStore } from '../../src/store/database.js';
import type { CheckRow, NewCheck, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { ManualSleep, eventually } from '../support/manual-sleep.js';
import { HOUR, MINUTE, SILENT_LOGGER, T0, addChannel, addCheck, checkById, flipsOf, notificationsOf, seedProject } from './support.js';

/** A check in the state a ping at `at` leaves it in (as ingestion writes it). */
function pinged(at: number, fields: Partial<NewCheck> = {}): Partial<NewCheck> {
  const row = { kind: 'simple', timeout: 60, grace: 60, schedule: '* * * * *', tz: 'UTC', status: 'up', last_ping: at, last_start: null, max_duration: null, ...fields } as CheckRow;
  return { ...fields, status: row.status, last_ping: at, alert_after: alertDeadline(checkTimingOf(row), (fields.alert_on_stuck ?? 1) === 1) };
}

describe.each(DIALECTS)('deadline detection on %s', (dialect) => {
  let url: string;
  let store: Store;
  let project: ProjectRow;
  const clock = new ManualClock(T0);
  const scheduler = () => new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER, batchSize: 50 });

  beforeAll(async () => {
    url = await newDatabaseUrl(dialect);
    store = openStore(url);
    await migrate(store);
    project = await seedProject(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('marks a simple check down exactly at last ping + period + grace, not before', async () => {
    clock.set(T0);
    const channel = await addChannel(store, project);
    const check = await addCheck(store, project, pinged(T0, { timeout: 60, grace: 60 }), [channel]);
    expect(check.alert_after).toBe(T0 + 2 * MINUTE);

    clock.set(T0 + 2 * MINUTE - 1);
    await scheduler().runDue();
    expect((await checkById(store, check.id)).status).toBe('up');

    clock.set(T0 + 2 * MINUTE);
    const summary = await scheduler().runDue();
    expect(summary.down).toBeGreaterThanOrEqual(1);
    const after = await checkById(store, check.id);
    expect(after.status).toBe('down');
    expect(after.alert_after).toBeNull();
    const [flip] = await flipsOf(store, check.id);
    expect(flip).toMatchObject({ created: T0 + 2 * MINUTE, old_status: 'up', new_status: 'down', reason: 'timeout', processed: T0 + 2 * MINUTE, alerted: 1 });
    const [notification] = await notificationsOf(store, check.id);
    expect(notification).toMatchObject({ channel_id: channel.id, status: 'down', reason: 'timeout', event_at: flip?.created, state: 'pending', attempts: 0 });
  });

  it('timestamps the flip at the deadline even when it is noticed an hour late', async () => {
    clock.set(T0);
    const check = await addCheck(store, project, pinged(T0, { timeout: 60, grace: 60 }));
    clock.set(T0 + HOUR);
    await scheduler().runDue();
    expect((await flipsOf(store, check.id)).map((f) => f.created)).toEqual([T0 + 2 * MINUTE]);
  });

  it('follows a cron schedule in its time zone', async () => {
    // 10:00 UTC is 12:00 in Helsinki (UTC+2 in January): the next 13:00 run is at 11:00 UTC.
    const check = await addCheck(store, project, pinged(Date.UTC(2030, 0, 1, 10, 0), { kind: 'cron', schedule: '0 13 * * *', tz: 'Europe/Helsinki', grace: 300 }));
    expect(check.alert_after).toBe(Date.UTC(2030, 0, 1, 11, 5));
    clock.set(Date.UTC(2030, 0, 1, 11, 4, 59));
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    clock.set(Date.UTC(2030, 0, 1, 11, 5));
    await scheduler().runDue();
    expect((await flipsOf(store, check.id)).map((f) => f.created)).toEqual([Date.UTC(2030, 0, 1, 11, 5)]);
  });

  it('follows an OnCalendar schedule', async () => {
    const check = await addCheck(store, project, pinged(Date.UTC(2030, 0, 1, 10, 0), { kind: 'oncalendar', schedule: '*-*-* 12:00:00', tz: 'UTC', grace: 60 }));
    clock.set(Date.UTC(2030, 0, 1, 12, 1));
    await scheduler().runDue();
    expect((await flipsOf(store, check.id)).map((f) => f.created)).toEqual([Date.UTC(2030, 0, 1, 12, 1)]);
  });

  it('marks a started run down when it does not finish within the grace time', async () => {
    clock.set(T0);
    const check = await addCheck(store, project, pinged(T0, { timeout: 86_400, grace: 120, last_start: T0 + MINUTE }));
    expect(check.alert_after).toBe(T0 + 3 * MINUTE);
    clock.set(T0 + 3 * MINUTE);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toMatchObject([{ created: T0 + 3 * MINUTE, reason: 'timeout', new_status: 'down' }]);
  });

  it('marks a run down as stuck once it outlasts max_duration', async () => {
    clock.set(T0);
    const check = await addCheck(store, project, pinged(T0, { timeout: 86_400, grace: 3600, last_start: T0, max_duration: 30 }));
    expect(check.alert_after).toBe(T0 + 30_000);
    clock.set(T0 + 30_000);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toMatchObject([{ created: T0 + 30_000, reason: 'stuck', new_status: 'down' }]);
  });

  it('does not watch for stuck runs when alert_on_stuck is off', async () => {
    clock.set(T0);
    const check = await addCheck(store, project, pinged(T0, { timeout: 86_400, grace: 600, last_start: T0, max_duration: 30, alert_on_stuck: 0 }));
    expect(check.alert_after).toBe(T0 + 600_000);
    // A deadline left over from before the rule was switched off moves on without a flip.
    await store.db.updateTable('checks').set({ alert_after: T0 + 30_000 }).where('id', '=', check.id).execute();
    clock.set(T0 + 30_000);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 600_000);
  });

  it('moves a stale deadline to the real one without a flip', async () => {
    // The check was pinged again; the stored deadline predates that ping.
    const check = await addCheck(store, project, { ...pinged(T0 + 10 * MINUTE, { timeout: 60, grace: 60 }), alert_after: T0 + 2 * MINUTE });
    clock.set(T0 + 5 * MINUTE);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 12 * MINUTE);
  });

  it('never alerts for a paused check', async () => {
    const channel = await addChannel(store, project);
    const check = await addCheck(store, project, { status: 'paused', last_ping: T0, alert_after: T0 + MINUTE }, [channel]);
    clock.set(T0 + HOUR);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'paused', alert_after: null });
  });

  it('pushes the deadline an hour ahead when the schedule cannot be computed', async () => {
    const check = await addCheck(store, project, { kind: 'cron', schedule: 'not a schedule', status: 'up', last_ping: T0, alert_after: T0 + MINUTE });
    clock.set(T0 + 2 * MINUTE);
    await scheduler().runDue();
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 2 * MINUTE + HOUR);
  });

  it('handles many checks due at the same moment in batches, one flip each', async () => {
    const base = T0 + 10 * HOUR;
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((await addCheck(store, project, pinged(base, { timeout: 60, grace: 60 }))).id);
    clock.set(base + 2 * MINUTE);
    const summary = await scheduler().runDue();
    expect(summary.down).toBe(120);
    const flips = await store.db.selectFrom('flips').select(['check_id', 'created']).where('check_id', 'in', ids).execute();
    expect(flips).toHaveLength(120);
    expect(new Set(flips.map((f) => f.created))).toEqual(new Set([base + 2 * MINUTE]));
    expect((await scheduler().runDue()).down).toBe(0);
  });

  it('sleeps until the earliest deadline and wakes early for an earlier one', async () => {
    const start = T0 + 100 * HOUR;
    clock.set(start);
    const sleep = new ManualSleep(clock);
    const looping = new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER, sleep: sleep.sleep, maxSleepMs: 60_000 });
    const later = await addCheck(store, project, pinged(start, { timeout: 30, grace: 10 }));
    looping.start();
    try {
      await eventually(() => sleep.waiting === 1);
      expect(sleep.requested.at(-1)).toBe(40_000);

      // A ping gives another check a deadline 5 s away: the scheduler is told and wakes for it.
      const sooner = await addCheck(store, project, pinged(start - 55_000, { timeout: 50, grace: 10 }));
      looping.wake(sooner.alert_after as number);
      await eventually(() => sleep.requested.length === 2 && sleep.waiting === 1);
      expect(sleep.requested.at(-1)).toBe(5_000);

      clock.advance(5_000);
      sleep.release();
      await eventually(async () => (await flipsOf(store, sooner.id)).length === 1);
      expect((await flipsOf(store, sooner.id))[0]?.created).toBe(start + 5_000);
      expect(await flipsOf(store, later.id)).toHaveLength(0);
    } finally {
      await looping.stop();
    }
  });

  it('has delivery look at once when woken for a change that was just written', () => {
    let nudges = 0;
    const woken = new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER, onQueued: () => nudges++ });
    woken.wake(clock.now() + 1);
    expect(nudges).toBe(0);
    woken.wake(clock.now());
    expect(nudges).toBe(1);
  });

  if (dialect === 'postgres') {
    it('makes one flip per deadline when two processes race for the same checks', async () => {
      const other = openStore(url);
      try {
        await other.db.selectFrom('checks').select('id').limit(1).execute();
        const base = T0 + 200 * HOUR;
        const ids: number[] = [];
        for (let i = 0; i < 300; i++) ids.push((await addCheck(store, project, pinged(base, { timeout: 60, grace: 60 }))).id);
        clock.set(base + 2 * MINUTE);
        const [a, b] = await Promise.all([
          new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER, batchSize: 20 }).runDue(),
          new DeadlineScheduler(other, { clock, logger: SILENT_LOGGER, batchSize: 20 }).runDue(),
        ]);
        // Both took part (batches of 20), and nothing was done twice.
        expect(a.down).toBeGreaterThan(0);
        expect(b.down).toBeGreaterThan(0);
        const flips = await store.db.selectFrom('flips').select('check_id').where('check_id', 'in', ids).execute();
        expect(flips).toHaveLength(300);
        expect(new Set(flips.map((f) => f.check_id)).size).toBe(300);
      } finally {
        await other.close();
      }
    });
  }
});

