// Status changes of checks (flips): the API's history and the alerting backlog.
import type { Executor } from './executor.js';
import type { FlipRow } from './schema.js';

export interface FlipFilter {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  until?: number;
}

/** A check's flips, newest first. */
export async function listFlips(db: Executor, checkId: number, filter: FlipFilter = {}): Promise<FlipRow[]> {
  let query = db.selectFrom('flips').selectAll().where('check_id', '=', checkId);
  if (filter.from !== undefined) query = query.where('created', '>=', filter.from);
  if (filter.until !== undefined) query = query.where('created', '<', filter.until);
  return query.orderBy('id', 'desc').execute();
}

/** Flips that the alerting loop has not handled yet, over the whole instance. */
export async function countUnprocessedFlips(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('flips')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
