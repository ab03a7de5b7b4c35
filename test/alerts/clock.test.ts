// Clock jumps and daylight-saving changes, on both databases: no alert is missed, none is sent for
// a check that did not go down, and none is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineScheduler } from '../../src/alerts/scheduler.js';
import { ManualClock } from '../../src/clock.js';
import { alertDeadline } from '../../src/core/alert-rules.js';
import { checkTimingOf } from '../../src/store/check-mapping.js';
import type { Store } from '../../src/store/database.js';
import type { CheckRow, NewCheck, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { HOUR, MINUTE, SILENT_LOGGER, T0, addChannel, addCheck, checkById, flipsOf, notificationsOf, seedProject } from './support.js';

describe.each(DIALECTS)('clock changes on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  const clock = new ManualClock(T0);
  let scheduler: DeadlineScheduler;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    scheduler = new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** What a success ping at `at` does to the check's state (as ingestion writes it). */
  async function ping(check: CheckRow, at: number): Promise<void> {
    const current = await checkById(store, check.id);
    const next = { ...current, status: 'up' as const, last_ping: at };
    await store.db
      .updateTable('checks')
      .set({ status: 'up', last_ping: at, alert_after: alertDeadline(checkTimingOf(next)) })
      .where('id', '=', check.id)
      .execute();
  }

  async function newCheck(fields: Partial<NewCheck>, pingedAt: number): Promise<CheckRow> {
    const channel = await addChannel(store, project);
    const check = await addCheck(store, project, fields, [channel]);
    await ping(check, pingedAt);
    return checkById(store, check.id);
  }

  async function tick(at: number): Promise<void> {
    clock.set(at);
    await scheduler.runDue();
  }

  it('after a jump forward, alerts the checks whose deadline was skipped, at their deadline, once', async () => {
    const base = T0;
    const soon = await newCheck({ timeout: 5 * 60, grace: 5 * 60 }, base);
    const later = await newCheck({ timeout: 2 * 3600, grace: 3600 }, base);
    await tick(base);
    await tick(base + HOUR);
    await tick(base + HOUR + 1);
    expect((await flipsOf(store, soon.id)).map((f) => f.created)).toEqual([base + 10 * MINUTE]);
    expect(await flipsOf(store, later.id)).toHaveLength(0);
    expect(await notificationsOf(store, soon.id)).toHaveLength(1);
  });

  it('after a jump backward, alerts nothing early and nothing twice, and still alerts on time', async () => {
    const base = T0 + 1000 * HOUR;
    const check = await newCheck({ timeout: 5 * 60, grace: 5 * 60 }, base);
    const flipped = await newCheck({ timeout: 60, grace: 60 }, base);
    await tick(base + 5 * MINUTE);
    expect(await flipsOf(store, flipped.id)).toHaveLength(1);

    await tick(base - 2 * HOUR);
    await tick(base + 9 * MINUTE);
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect(await flipsOf(store, flipped.id)).toHaveLength(1);

    await tick(base + 10 * MINUTE);
    expect((await flipsOf(store, check.id)).map((f) => f.created)).toEqual([base + 10 * MINUTE]);
    expect(await flipsOf(store, flipped.id)).toHaveLength(1);
    expect(await notificationsOf(store, flipped.id)).toHaveLength(1);
  });

  /**
   * A daily job at 02:30 Berlin time that runs as Debian cron runs it (the given UTC instants) and
   * pings a minute later; the scheduler looks every quarter of an hour.
   */
  async function runJob(check: CheckRow, runs: number[], from: number, until: number): Promise<void> {
    const pending = [...runs];
    for (let at = from; at <= until; at += 15 * MINUTE) {
      while (pending.length > 0 && (pending[0] as number) + MINUTE <= at) {
        await ping(check, (pending.shift() as number) + MINUTE);
      }
      await tick(at);
    }
  }

  it('does not alert a cron job across the spring-forward gap, and alerts a missed run on time', async () => {
    const check = await newCheck({ kind: 'cron', schedule: '30 2 * * *', tz: 'Europe/Berlin', grace: 600 }, Date.UTC(2030, 2, 29, 1, 31));
    const runs = [
      Date.UTC(2030, 2, 30, 1, 30), // 02:30 CET
      Date.UTC(2030, 2, 31, 1, 0), // 02:30 does not exist: cron runs at 03:00 CEST
      Date.UTC(2030, 3, 1, 0, 30), // 02:30 CEST
    ];
    await runJob(check, runs, Date.UTC(2030, 2, 29, 2, 0), Date.UTC(2030, 3, 1, 3, 0));
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    // The job stops: the next run (2 April 00:30 UTC) is missed.
    await runJob(check, [], Date.UTC(2030, 3, 1, 3, 0), Date.UTC(2030, 3, 2, 3, 0));
    expect((await flipsOf(store, check.id)).map((f) => f.created)).toEqual([Date.UTC(2030, 3, 2, 0, 40)]);
  });

  it('does not expect a second run in the repeated hour of the autumn change', async () => {
    const check = await newCheck({ kind: 'cron', schedule: '30 2 * * *', tz: 'Europe/Berlin', grace: 600 }, Date.UTC(2030, 9, 25, 0, 31));
    const runs = [
      Date.UTC(2030, 9, 26, 0, 30), // 02:30 CEST
      Date.UTC(2030, 9, 27, 0, 30), // 02:30 happens twice; cron runs once, the first time
      Date.UTC(2030, 9, 28, 1, 30), // 02:30 CET
    ];
    await runJob(check, runs, Date.UTC(2030, 9, 25, 1, 0), Date.UTC(2030, 9, 28, 3, 0));
    expect(await flipsOf(store, check.id)).toHaveLength(0);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'up', alert_after: Date.UTC(2030, 9, 29, 1, 40) });
  });
});
