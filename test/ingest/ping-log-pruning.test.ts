// The pass that keeps ping logs to their limit, on both databases: a stretch looks at the pings
// it is given, in id order, deletes exactly those their check's log no longer keeps, and says
// where to go on; the writer's pass runs a stretch on its first batch and then every PRUNE_EVERY
// pings, from where the last one stopped, even across restarts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PRUNE_EVERY, PingLogPruning } from '../../src/ingest/ping-log-pruning.js';
import type { Store } from '../../src/store/database.js';
import { insertPings, prunePingLogStretch } from '../../src/store/pings.js';
import type { CheckRow, NewPing, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { T0, addCheck, seedProject } from '../alerts/support.js';

const LIMIT = 3;

describe.each(DIALECTS)('pruning the ping log on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    await store.db.updateTable('users').set({ ping_log_limit: LIMIT }).where('id', '=', project.owner_id).execute();
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('pings').execute();
    await store.db.deleteFrom('settings').where('key', '=', 'ping_log_prune_after').execute();
  });

  function pingRow(check: CheckRow, n: number): NewPing {
    return { check_id: check.id, n, created: T0 + n, kind: null, scheme: 'http', method: 'GET', ua: '' };
  }

  /** `counts` pings per check, written interleaved (as a busy server writes them); sets n_pings. */
  async function writeInterleaved(checks: CheckRow[], counts: number[]): Promise<void> {
    const rows: NewPing[] = [];
    for (let n = 1; n <= Math.max(...counts); n++) {
      checks.forEach((check, i) => {
        if (n <= (counts[i] as number)) rows.push(pingRow(check, n));
      });
    }
    await insertPings(store.db, rows);
    for (const [i, check] of checks.entries()) {
      await store.db.updateTable('checks').set({ n_pings: counts[i] as number }).where('id', '=', check.id).execute();
    }
  }

  async function kept(check: CheckRow): Promise<number[]> {
    const rows = await store.db.selectFrom('pings').select('n').where('check_id', '=', check.id).orderBy('n').execute();
    return rows.map((row) => row.n);
  }

  const ids = async () => (await store.db.selectFrom('pings').select('id').orderBy('id').execute()).map((row) => Number(row.id));

  it('deletes what the logs no longer keep, only within its stretch, and says where to go on', async () => {
    const busy = await addCheck(store, project);
    const quiet = await addCheck(store, project);
    await writeInterleaved([busy, quiet], [8, 2]);
    const all = await ids();
    // The first six rows: busy 1–4, quiet 1–2 (interleaved).
    const next = await prunePingLogStretch(store.db, 0, 6);
    expect(next).toBe(all[5]);
    expect(await kept(busy)).toEqual([5, 6, 7, 8]);
    expect(await kept(quiet)).toEqual([1, 2]);
    // The rest of the table is shorter than the stretch: the pass is over, and starts again at 0.
    expect(await prunePingLogStretch(store.db, next, 6)).toBe(0);
    expect(await kept(busy)).toEqual([6, 7, 8]);
    expect(await kept(quiet)).toEqual([1, 2]);
  });

  it('keeps every log whole when none is over its limit, and an empty table ends the pass', async () => {
    expect(await prunePingLogStretch(store.db, 0, 100)).toBe(0);
    const check = await addCheck(store, project);
    await writeInterleaved([check], [LIMIT]);
    expect(await prunePingLogStretch(store.db, 0, 100)).toBe(0);
    expect(await kept(check)).toEqual([1, 2, 3]);
  });

  it("follows each owner's own limit", async () => {
    const other = await seedProject(store);
    await store.db.updateTable('users').set({ ping_log_limit: 5 }).where('id', '=', other.owner_id).execute();
    const mine = await addCheck(store, project);
    const theirs = await addCheck(store, other);
    await writeInterleaved([mine, theirs], [6, 6]);
    await prunePingLogStretch(store.db, 0, 100);
    expect(await kept(mine)).toEqual([4, 5, 6]);
    expect(await kept(theirs)).toEqual([2, 3, 4, 5, 6]);
  });

  it('runs a stretch on the first batch, then every PRUNE_EVERY pings, carrying on where the last stopped', async () => {
    const check = await addCheck(store, project);
    await writeInterleaved([check], [10]);
    const first = new PingLogPruning();
    await store.db.transaction().execute((trx) => first.afterInsert(trx, 1));
    expect(await kept(check)).toEqual([8, 9, 10]);

    // Not yet due: the log may grow past its limit for a while.
    await store.db.deleteFrom('pings').execute();
    await writeInterleaved([check], [10]);
    await store.db.transaction().execute((trx) => first.afterInsert(trx, PRUNE_EVERY - 1));
    expect(await kept(check)).toHaveLength(10);
    await store.db.transaction().execute((trx) => first.afterInsert(trx, 1));
    expect(await kept(check)).toEqual([8, 9, 10]);
  });

  it('goes on from the stored position after a restart, not from the start of the table', async () => {
    const check = await addCheck(store, project);
    await writeInterleaved([check], [PRUNE_EVERY * 3]);
    const before = new PingLogPruning();
    await store.db.transaction().execute((trx) => before.afterInsert(trx, 1));
    // The first stretch covered the oldest 2 × PRUNE_EVERY pings; a restarted writer covers the rest.
    expect((await kept(check))[0]).toBe(2 * PRUNE_EVERY + 1);
    const restarted = new PingLogPruning();
    await store.db.transaction().execute((trx) => restarted.afterInsert(trx, 1));
    expect(await kept(check)).toEqual([3 * PRUNE_EVERY - 2, 3 * PRUNE_EVERY - 1, 3 * PRUNE_EVERY]);
  });
});
