// The queries behind the Cron Checks API: checks with their server's hostname and owner, found
// by internal id but only inside the caller's project, and pages of the ping log.
import type { DialectName } from './dialect.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import type { CheckRow, PingRow } from './schema.js';

export type CronCheckRow = CheckRow & { server_hostname: string | null; user_id: number };

function cronCheckQuery(db: Executor, projectId: number) {
  return db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .leftJoin('servers', 'servers.id', 'checks.server_id')
    .selectAll('checks')
    .select(['servers.hostname as server_hostname', 'projects.owner_id as user_id'])
    .where('checks.project_id', '=', projectId);
}

export async function listCronChecks(db: Executor, projectId: number): Promise<CronCheckRow[]> {
  return cronCheckQuery(db, projectId).orderBy('checks.id').execute();
}

export async function findCronCheck(db: Executor, projectId: number, id: number): Promise<CronCheckRow | undefined> {
  return cronCheckQuery(db, projectId).where('checks.id', '=', id).executeTakeFirst();
}

/** A check of the project by id, locked (PostgreSQL) until the transaction ends. */
export async function lockCheckInProject(
  db: Executor,
  dialect: DialectName,
  projectId: number,
  id: number,
): Promise<CheckRow | undefined> {
  const query = db.selectFrom('checks').selectAll().where('project_id', '=', projectId).where('id', '=', id);
  return (forUpdate(dialect) ? query.forUpdate() : query).executeTakeFirst();
}

export type PingPageRow = Pick<PingRow, 'id' | 'check_id' | 'kind' | 'exit_status' | 'duration' | 'remote_addr' | 'ua' | 'body' | 'created'>;

/**
 * `limit` pings of a check's log (numbered above `keptAfter`; older ones await pruning), newest
 * first, after skipping the `offset` newest.
 */
export async function listPingPage(
  db: Executor,
  checkId: number,
  keptAfter: number,
  limit: number,
  offset: number,
): Promise<PingPageRow[]> {
  return db
    .selectFrom('pings')
    .select(['id', 'check_id', 'kind', 'exit_status', 'duration', 'remote_addr', 'ua', 'body', 'created'])
    .where('check_id', '=', checkId)
    .where('n', '>', keptAfter)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
