// Servers of a project: the machines its cron jobs run on.
import type { Executor } from './executor.js';
import type { ServerRow } from './schema.js';

export async function listServers(db: Executor, projectId: number): Promise<ServerRow[]> {
  return db.selectFrom('servers').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
}

/** A server by id, only when it belongs to the project. */
export async function findServer(db: Executor, projectId: number, id: number): Promise<ServerRow | undefined> {
  return db.selectFrom('servers').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/**
 * The project's server with this hostname, created unless it exists. `created` is false when
 * it existed already (also when a concurrent request created it first).
 */
export async function findOrInsertServer(
  db: Executor,
  projectId: number,
  hostname: string,
  now: number,
): Promise<{ server: ServerRow; created: boolean }> {
  const inserted = await db
    .insertInto('servers')
    .values({ project_id: projectId, hostname, created: now })
    .onConflict((oc) => oc.columns(['project_id', 'hostname']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { server: inserted, created: true };
  const server = await db
    .selectFrom('servers')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('hostname', '=', hostname)
    .executeTakeFirstOrThrow();
  return { server, created: false };
}
