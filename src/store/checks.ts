// Checks: creation, lookups by every identifier a ping or an API call can carry, updates.
import type { Store } from './database.js';
import type { DialectName } from './dialect.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import { compileRowReader } from './row-arrays.js';
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

/** The columns a check's API representation needs: lists read only these. */
export const CHECK_VIEW_COLUMNS = [
  'id', 'code', 'name', 'slug', 'tags', 'description', 'kind', 'timeout', 'grace', 'schedule', 'tz',
  'filter_subject', 'filter_body', 'filter_http_body', 'filter_default_fail', 'start_kw', 'success_kw', 'failure_kw',
  'methods', 'manual_resume', 'badge_key', 'ping_code', 'n_pings', 'last_ping', 'last_start', 'last_duration', 'status',
  'max_duration', 'alert_on_missed', 'alert_on_fail', 'alert_on_stuck', 'alert_on_long',
] as const satisfies readonly (keyof CheckRow)[];
export type CheckView = Pick<CheckRow, (typeof CHECK_VIEW_COLUMNS)[number]>;
const checkViewOf = compileRowReader<CheckView>(CHECK_VIEW_COLUMNS);

export async function listChecks(db: Executor, projectId: number, filter: CheckFilter = {}): Promise<CheckRow[]> {
  let query = db.selectFrom('checks').selectAll().where('project_id', '=', projectId);
  if (filter.slug) query = query.where('slug', '=', filter.slug);
  return withTags(await query.orderBy('id').execute(), filter.tags);
}

/**
 * Like listChecks, with only the columns of the API representation, read as arrays and handed
 * over `size` at a time (pieces the tag filter empties are skipped): a list can hold 10,000
 * checks, and a caller that renders each piece as it comes holds one piece at a time.
 */
export async function eachCheckViewChunk(
  store: Store,
  projectId: number,
  filter: CheckFilter,
  size: number,
  onChunk: (rows: CheckView[]) => void,
): Promise<void> {
  let query = store.db.selectFrom('checks').select(CHECK_VIEW_COLUMNS).where('project_id', '=', projectId);
  if (filter.slug) query = query.where('slug', '=', filter.slug);
  await store.readArrayChunks(query.orderBy('id').compile(), size, (arrays) => {
    const rows = withTags(arrays.map(checkViewOf), filter.tags);
    if (rows.length > 0) onChunk(rows);
  });
}

/** Tags are one space-separated string; exact matching is simplest and safest in code. */
function withTags<Row extends { tags: string }>(rows: Row[], tags: string[] = []): Row[] {
  if (tags.length === 0) return rows;
  return rows.filter((row) => {
    const own = new Set(row.tags.split(/\s+/).filter(Boolean));
    return tags.every((t) => own.has(t));
  });
}

export async function updateCheck(db: Executor, id: number, fields: CheckUpdate): Promise<void> {
  await db.updateTable('checks').set(fields).where('id', '=', id).execute();
}

/** A check by UUID, locked (PostgreSQL) until the transaction ends, for read-modify-write. */
export async function lockCheckByCode(db: Executor, dialect: DialectName, code: string): Promise<CheckRow | undefined> {
  const query = db.selectFrom('checks').selectAll().where('code', '=', code);
  return (forUpdate(dialect) ? query.forUpdate() : query).executeTakeFirst();
}

export type UniqueColumns = Partial<Pick<CheckRow, 'name' | 'slug' | 'tags' | 'timeout' | 'grace'>>;

/** The oldest check of a project whose columns equal all the given values (API upsert), locked. */
export async function lockCheckByColumns(
  db: Executor,
  dialect: DialectName,
  projectId: number,
  columns: UniqueColumns,
): Promise<CheckRow | undefined> {
  let query = db.selectFrom('checks').selectAll().where('project_id', '=', projectId);
  for (const [column, value] of Object.entries(columns) as [keyof UniqueColumns, string | number][]) {
    query = query.where(column, '=', value);
  }
  query = query.orderBy('id').limit(1);
  return (forUpdate(dialect) ? query.forUpdate() : query).executeTakeFirst();
}

/** UUIDs of every check of a project, to find one by a key derived from its UUID. */
export async function listCheckCodes(db: Executor, projectId: number): Promise<{ id: number; code: string }[]> {
  return db.selectFrom('checks').select(['id', 'code']).where('project_id', '=', projectId).orderBy('id').execute();
}

export async function findCheckById(db: Executor, id: number): Promise<CheckRow | undefined> {
  return db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes a check; its pings, flips and channel assignments go with it (ON DELETE CASCADE). */
export async function deleteCheck(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('checks').where('id', '=', id).execute();
}

/** Channel UUIDs per check id, for every check of a project, in one query. */
/**
 * The UUIDs of each check's channels, sorted, for every check of a project that has any. The
 * assignments are read as pairs of ids, in check order from the primary key, and the few codes
 * once; checks with the same channels share one array, so that 10,000 checks with the same five
 * channels make five strings and one array, not 50,000 strings and 10,000 arrays.
 */
export async function channelCodesByCheck(store: Store, projectId: number): Promise<Map<number, string[]>> {
  const [codes, pairs] = await Promise.all([
    store.readArrays(store.db.selectFrom('channels').select(['id', 'code']).where('project_id', '=', projectId).compile()),
    store.readArrays(
      store.db
        .selectFrom('checks')
        .innerJoin('check_channels', 'check_channels.check_id', 'checks.id')
        .select(['check_channels.check_id', 'check_channels.channel_id'])
        .where('checks.project_id', '=', projectId)
        .orderBy('check_channels.check_id')
        .orderBy('check_channels.channel_id')
        .compile(),
    ),
  ]);
  const codeOf = new Map(codes as [number, string][]);
  const shared = new Map<string, string[]>();
  const out = new Map<number, string[]>();
  let checkId: number | null = null;
  let channelIds: number[] = [];
  const finish = () => {
    if (checkId === null) return;
    const key = channelIds.join(',');
    let list = shared.get(key);
    if (list === undefined) {
      // A channel created between the two reads is left out, as if read a moment earlier. Sorted
      // here, not in SQL, so that the order is the same bytewise order on both databases.
      list = channelIds.flatMap((id) => codeOf.get(id) ?? []).sort();
      shared.set(key, list);
    }
    out.set(checkId, list);
  };
  for (const [check, channel] of pairs as [number, number][]) {
    if (check !== checkId) {
      finish();
      checkId = check;
      channelIds = [];
    }
    channelIds.push(channel);
  }
  finish();
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

/** The tag strings of every check of a project (one space-separated string per check). */
export async function listCheckTags(db: Executor, projectId: number): Promise<string[]> {
  const rows = await db.selectFrom('checks').select('tags').where('project_id', '=', projectId).where('tags', '<>', '').execute();
  return rows.map((row) => row.tags);
}
