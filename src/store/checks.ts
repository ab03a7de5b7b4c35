// Checks: creation, lookups by every identifier a ping or an API call can carry, updates.
import type { DialectName } from './dialect.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import type { CheckRow, CheckUpdate, NewCheck } from './schema.js';

export async function insertCheck(db: Executor, check: NewCheck): Promise<CheckRow> {
  return db.insertInto('checks').values(check).returningAll().executeTakeFirstOrThrow();
}

export async function findCheckByCode(db: Executor, code: string): Promise<CheckRow | undefined> {
  return db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirst();
}

export interface CheckFilter {
  /** Every tag must be among the check's space-separated tags. */
  tags?: string[];
  slug?: string;
}

export async function listChecks(db: Executor, projectId: number, filter: CheckFilter = {}): Promise<CheckRow[]> {
  let query = db.selectFrom('checks').selectAll().where('project_id', '=', projectId);
  if (filter.slug) query = query.where('slug', '=', filter.slug);
  const rows = await query.orderBy('id').execute();
  const tags = filter.tags ?? [];
  if (tags.length === 0) return rows;
  // Tags are one space-separated string; exact matching is simplest and safest in code.
  return rows.filter((row) => {
    const own = new Set(row.tags.split(/\s+/).filter(Boolean));
    return tags.every((t) => own.has(t));
  });
}

export async function updateCheck(db: Executor, id: number, fields: CheckUpdate): Promise<void> {
  await db.updateTable('checks').set(fields).where('id', '=', id).execute();
}

/** Channel UUIDs per check id, for every check of a project, in one query. */
export async function channelCodesByCheck(db: Executor, projectId: number): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .where('channels.project_id', '=', projectId)
    .select(['check_channels.check_id', 'channels.code'])
    .execute();
  const out = new Map<number, string[]>();
  for (const row of rows) {
    const list = out.get(row.check_id) ?? [];
    list.push(row.code);
    out.set(row.check_id, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

export async function assignAllProjectChannels(db: Executor, checkId: number, projectId: number): Promise<void> {
  const channels = await db.selectFrom('channels').select('id').where('project_id', '=', projectId).execute();
  if (channels.length === 0) return;
  await db
    .insertInto('check_channels')
    .values(channels.map((c) => ({ check_id: checkId, channel_id: c.id })))
    .execute();
}

// ---- lookups for ping ingestion: the rows are locked until the transaction ends ----

export async function lockChecksByCodes(db: Executor, dialect: DialectName, codes: string[]): Promise<CheckRow[]> {
  if (codes.length === 0) return [];
  const query = db.selectFrom('checks').selectAll().where('code', 'in', codes).orderBy('id');
  return forUpdate(dialect) ? query.forUpdate().execute() : query.execute();
}

export async function lockChecksByPingCodes(
  db: Executor,
  dialect: DialectName,
  pingCodes: string[],
): Promise<CheckRow[]> {
  if (pingCodes.length === 0) return [];
  const query = db.selectFrom('checks').selectAll().where('ping_code', 'in', pingCodes).orderBy('id');
  return forUpdate(dialect) ? query.forUpdate().execute() : query.execute();
}

/** All checks with this slug in the project with this ping key (more than one is ambiguous). */
export async function lockChecksBySlug(
  db: Executor,
  dialect: DialectName,
  pingKey: string,
  slug: string,
): Promise<CheckRow[]> {
  const query = db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .selectAll('checks')
    .where('projects.ping_key', '=', pingKey)
    .where('checks.slug', '=', slug)
    .orderBy('checks.id')
    .limit(2);
  return forUpdate(dialect) ? query.forUpdate().execute() : query.execute();
}
