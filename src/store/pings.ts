// The ping log and status flips.
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { NewFlip, NewPing, PingKind } from './schema.js';

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

/**
 * One stretch of a pass that prunes the ping log: looks at the `count` pings after id `after`, in
 * id order, and deletes those their check's log no longer keeps (numbered at or below its
 * n_pings minus its owner's ping log limit). Returns the id to continue from, 0 once the pass
 * reached the newest ping.
 *
 * Passes go through the table in the order it is stored (on SQLite) and written, so the pings one
 * stretch deletes lie side by side, most of them the oldest of many checks: they free whole pages.
 * Deleting one check's old pings at a time instead touches a page for almost every ping, since
 * each of them was written among other checks' pings; that was a third of all a ping wrote.
 */
export async function prunePingLogStretch(db: Executor, after: number, count: number): Promise<number> {
  const stretch = await db
    .selectFrom((eb) => eb.selectFrom('pings').select('id').where('id', '>', after).orderBy('id').limit(count).as('stretch'))
    .select((eb) => [eb.fn.max('id').as('last'), eb.fn.countAll<number>().as('seen')])
    .executeTakeFirstOrThrow();
  if (stretch.last === null) return 0;
  const last = Number(stretch.last);
  await db
    .deleteFrom('pings')
    .where('id', '>', after)
    .where('id', '<=', last)
    .where('n', '<=', (eb) =>
      eb
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .innerJoin('users', 'users.id', 'projects.owner_id')
        .whereRef('checks.id', '=', 'pings.check_id')
        .select(sql<number>`checks.n_pings - users.ping_log_limit`.as('kept_after')),
    )
    .execute();
  return Number(stretch.seen) < count ? 0 : last;
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

/** The highest ping number a check's log no longer keeps: its n_pings less the owner's ping log limit. */
export async function pingLogKeptAfter(db: Executor, check: { id: number; n_pings: number }): Promise<number> {
  return check.n_pings - (await pingLogLimitOfCheck(db, check.id));
}

/** How many pings the check's log keeps: those numbered above `keptAfter` (older ones await pruning). */
export async function countPings(db: Executor, checkId: number, keptAfter: number): Promise<number> {
  const row = await db
    .selectFrom('pings')
    .where('check_id', '=', checkId)
    .where('n', '>', keptAfter)
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
