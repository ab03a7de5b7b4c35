// The ping log and status flips.
import type { Executor } from './executor.js';
import type { NewFlip, NewPing, PingRow } from './schema.js';

// Both SQLite (32,766) and PostgreSQL (65,535) cap bound parameters per statement.
const ROWS_PER_INSERT = 500;

export async function insertPings(db: Executor, pings: NewPing[]): Promise<void> {
  for (let i = 0; i < pings.length; i += ROWS_PER_INSERT) {
    await db.insertInto('pings').values(pings.slice(i, i + ROWS_PER_INSERT)).execute();
  }
}

export async function insertFlips(db: Executor, flips: NewFlip[]): Promise<void> {
  for (let i = 0; i < flips.length; i += ROWS_PER_INSERT) {
    await db.insertInto('flips').values(flips.slice(i, i + ROWS_PER_INSERT)).execute();
  }
}

/** Drops a check's pings numbered up to `maxN`. */
export async function prunePings(db: Executor, checkId: number, maxN: number): Promise<void> {
  await db.deleteFrom('pings').where('check_id', '=', checkId).where('n', '<=', maxN).execute();
}

export async function pingLogLimitOfCheck(db: Executor, checkId: number): Promise<number> {
  const row = await db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .innerJoin('users', 'users.id', 'projects.owner_id')
    .where('checks.id', '=', checkId)
    .select('users.ping_log_limit')
    .executeTakeFirstOrThrow();
  return row.ping_log_limit;
}

export async function listPings(db: Executor, checkId: number, limit: number): Promise<PingRow[]> {
  return db.selectFrom('pings').selectAll().where('check_id', '=', checkId).orderBy('id', 'desc').limit(limit).execute();
}

export async function countPings(db: Executor, checkId: number): Promise<number> {
  const row = await db
    .selectFrom('pings')
    .where('check_id', '=', checkId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
