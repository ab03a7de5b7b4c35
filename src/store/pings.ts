// The ping log and status flips.
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { NewFlip, NewPing, PingKind, PingRow } from './schema.js';

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

/** A ping as the API's ping log shows it: everything but the body, which is only flagged. */
export interface PingLogRow {
  n: number;
  created: number;
  kind: PingKind;
  scheme: string;
  remote_addr: string | null;
  method: string;
  ua: string;
  rid: string | null;
  /** 1 when a non-empty body is stored. */
  has_body: number;
}

/** The newest `limit` pings of a check, newest first, without loading their bodies. */
export async function listPingLog(db: Executor, checkId: number, limit: number): Promise<PingLogRow[]> {
  return db
    .selectFrom('pings')
    .select(['n', 'created', 'kind', 'scheme', 'remote_addr', 'method', 'ua', 'rid'])
    .select(sql<number>`case when body is null then 0 else 1 end`.as('has_body'))
    .where('check_id', '=', checkId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The latest start, success or fail ping of the same run id (null matches null) before ping `n`
 * and not earlier than `notBefore`: the run event that decides a ping's duration.
 */
export async function findPreviousRunEvent(
  db: Executor,
  checkId: number,
  n: number,
  notBefore: number,
  rid: string | null,
): Promise<{ kind: PingKind; created: number } | undefined> {
  return db
    .selectFrom('pings')
    .select(['kind', 'created'])
    .where('check_id', '=', checkId)
    .where('n', '<', n)
    .where('created', '>=', notBefore)
    .where((eb) => (rid === null ? eb('rid', 'is', null) : eb('rid', '=', rid)))
    .where((eb) => eb.or([eb('kind', 'is', null), eb('kind', 'in', ['start', 'fail'])]))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findPingBody(db: Executor, checkId: number, n: number): Promise<Buffer | null | undefined> {
  const row = await db
    .selectFrom('pings')
    .select('body')
    .where('check_id', '=', checkId)
    .where('n', '=', n)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : row.body;
}

export async function maxPingId(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('pings').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return row?.id === undefined || row.id === null ? null : Number(row.id);
}
