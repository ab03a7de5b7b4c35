// Two connections write one SQLite file: the server's and the ping writer thread's. A
// transaction waits for the other connection's write lock, within busy_timeout, without
// stopping its thread's event loop meanwhile.
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { newTestStore } from '../support/databases.js';

describe('SQLite transactions beside another writing connection', () => {
  let store: Store;
  let other: SQLite.Database;

  beforeEach(async () => {
    store = await newTestStore('sqlite');
    other = new SQLite(store.sqlite?.name as string);
  });
  afterEach(async () => {
    other.close();
    await store.close();
  });

  /** Counts the event loop's turns while `work` runs. */
  async function turnsDuring<T>(work: Promise<T>): Promise<{ turns: number; result: PromiseSettledResult<T> }> {
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 5);
    const [result] = await Promise.allSettled([work]);
    clearInterval(ticker);
    return { turns, result: result as PromiseSettledResult<T> };
  }

  it('waits for the lock, the event loop turning meanwhile, then commits', async () => {
    other.exec('begin immediate');
    setTimeout(() => other.exec('commit'), 300);
    const transaction = store.db.transaction().execute(async (trx) => {
      await sql`insert into settings (key, value) values ('lock-test', 'written')`.execute(trx);
    });
    const { turns, result } = await turnsDuring(transaction);
    expect(result.status).toBe('fulfilled');
    // About 60 turns in 300 ms at 5 ms each; a sleeping thread would have managed none.
    expect(turns).toBeGreaterThan(20);
    const row = await sql<{ value: string }>`select value from settings where key = 'lock-test'`.execute(store.db);
    expect(row.rows[0]?.value).toBe('written');
  });

  it('gives up with SQLITE_BUSY after busy_timeout, and leaves the timeout as it was', async () => {
    store.sqlite?.pragma('busy_timeout = 200');
    other.exec('begin immediate');
    try {
      const started = Date.now();
      const { result } = await turnsDuring(store.db.transaction().execute(async () => {}));
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(store.sqlite?.pragma('busy_timeout', { simple: true })).toBe(200);
    } finally {
      other.exec('rollback');
    }
  });
});
