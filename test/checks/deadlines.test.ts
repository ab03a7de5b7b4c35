// The deadline (`alert_after`) that the Management API's changes give a check, on both databases:
// a change of max_duration, grace, timeout, schedule or alert_on_stuck moves it, as do pause and
// resume, so that the detector (which sleeps until the earliest alert_after) wakes when it must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckInput } from '../../src/checks/check-input.js';
import { CronCheckService } from '../../src/checks/cron-checks.js';
import { CheckService } from '../../src/checks/service.js';
import { ManualClock } from '../../src/clock.js';
import type { Store } from '../../src/store/database.js';
import type { CheckRow, NewCheck, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { HOUR, MINUTE, T0, addCheck, checkById, seedProject } from '../alerts/support.js';

const DAY = 24 * HOUR;

describe.each(DIALECTS)('deadlines after API changes on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  let service: CheckService;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    service = new CheckService(store, new ManualClock(T0 + MINUTE));
  });
  afterAll(async () => {
    await store?.close();
  });

  /** A daily check pinged yesterday whose run started at T0 and is still going. */
  function running(fields: Partial<NewCheck> = {}): Promise<CheckRow> {
    return addCheck(store, project, {
      status: 'up',
      timeout: 86_400,
      grace: 600,
      last_ping: T0 - DAY + 2000,
      last_start: T0,
      alert_after: T0 + 10 * MINUTE,
      ...fields,
    });
  }

  const update = async (check: CheckRow, body: Record<string, unknown>) => {
    await service.update(project, check.code, body, 3);
    return (await checkById(store, check.id)).alert_after;
  };

  it('max_duration shorter than grace brings the deadline forward to the moment the run is stuck', async () => {
    const check = await running();
    expect(await update(check, { max_duration: 120 })).toBe(T0 + 2 * MINUTE);
  });

  it('max_duration longer than grace gives the run that long (seed 003: grace 600, max 1800)', async () => {
    const check = await running();
    expect(await update(check, { max_duration: 1800 })).toBe(T0 + 30 * MINUTE);
  });

  it('clearing max_duration brings back start + grace', async () => {
    const check = await running({ max_duration: 120, alert_after: T0 + 2 * MINUTE });
    expect(await update(check, { max_duration: null })).toBe(T0 + 10 * MINUTE);
  });

  it('alert_on_stuck off stops watching for the stuck moment; on brings it back', async () => {
    const check = await running({ max_duration: 120, alert_after: T0 + 2 * MINUTE });
    expect(await update(check, { alert_on_stuck: false })).toBe(T0 + 10 * MINUTE);
    expect(await update(check, { alert_on_stuck: true })).toBe(T0 + 2 * MINUTE);
  });

  it('a new grace moves the deadline of a run, and of a check without one', async () => {
    const check = await running();
    expect(await update(check, { grace: 3600 })).toBe(T0 + HOUR);
    const idle = await addCheck(store, project, { status: 'up', timeout: 3600, grace: 600, last_ping: T0, alert_after: T0 + 70 * MINUTE });
    expect(await update(idle, { grace: 60 })).toBe(T0 + 61 * MINUTE);
    expect(await update(idle, { timeout: 86_400 })).toBe(T0 + DAY + MINUTE);
    // max_duration alone changes nothing without a run.
    expect(await update(idle, { max_duration: 120 })).toBe(T0 + DAY + MINUTE);
  });

  it('a schedule in a time zone moves the deadline, and max_duration still covers the run', async () => {
    // T0 is 2030-01-01 12:00 UTC, 13:00 in Berlin (CET); the next 14:00 there is 13:00 UTC.
    const idle = await addCheck(store, project, { status: 'up', grace: 600, last_ping: T0, alert_after: T0 + DAY });
    expect(await update(idle, { schedule: '0 14 * * *', tz: 'Europe/Berlin' })).toBe(T0 + HOUR + 10 * MINUTE);
    expect(await update(idle, { schedule: '*-*-* 14:00:00', tz: 'Europe/Berlin' })).toBe(T0 + HOUR + 10 * MINUTE);
    // Kolkata is UTC+5:30: its full hours are at half past in UTC.
    expect(await update(idle, { schedule: '0 * * * *', tz: 'Asia/Kolkata' })).toBe(T0 + 40 * MINUTE);
    // A run started at T0: grace after the start, or max_duration when that is longer.
    const check = await running({ last_ping: T0 - 30 * MINUTE + 2000 });
    expect(await update(check, { schedule: '0 * * * *', tz: 'Asia/Kolkata' })).toBe(T0 + 10 * MINUTE);
    expect(await update(check, { max_duration: 1800 })).toBe(T0 + 30 * MINUTE);
    expect(await update(check, { max_duration: 120 })).toBe(T0 + 2 * MINUTE);
  });

  it('pausing clears the deadline, even of a run with max_duration; resuming leaves none', async () => {
    const check = await running({ max_duration: 120, alert_after: T0 + 2 * MINUTE });
    await service.pause(project, check.code);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'paused', last_start: null, alert_after: null });
    await service.resume(project, check.code);
    expect(await checkById(store, check.id)).toMatchObject({ status: 'new', last_start: null, last_ping: null, alert_after: null });
  });

  it('an upsert (create with unique) moves the deadline of the check it updates', async () => {
    const check = await running({ name: 'nightly-upsert' });
    const result = await service.create(project, parseCheckInput({ name: 'nightly-upsert', unique: ['name'], max_duration: 120 }), 3);
    expect(result).toMatchObject({ outcome: 'updated', check: { check: { id: check.id, alert_after: T0 + 2 * MINUTE } } });
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 2 * MINUTE);
  });

  it('the Cron Checks API moves the deadline too: max_duration_seconds arms the stuck moment, enabled pauses', async () => {
    const cronChecks = new CronCheckService(store, new ManualClock(T0 + MINUTE));
    const check = await running();
    await cronChecks.update(project, check.id, { max_duration_seconds: 120 });
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 2 * MINUTE);
    await cronChecks.update(project, check.id, { max_duration_seconds: null });
    expect((await checkById(store, check.id)).alert_after).toBe(T0 + 10 * MINUTE);
    await cronChecks.update(project, check.id, { enabled: false });
    expect((await checkById(store, check.id)).alert_after).toBeNull();
  });
});
