// Checks: creation, lookups by every identifier a ping or an API call can carry, updates.
import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Store } from './database.js';
import type { DialectName } from './dialect.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import { BITS_PER_VALUE, compileRowReader, packedFlags } from './row-arrays.js';
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

// The list reads its 0/1 columns as one packed integer after the others (see packedFlags).
const CHECK_VIEW_FLAGS: readonly (typeof CHECK_VIEW_COLUMNS)[number][] = [
  'filter_subject', 'filter_body', 'filter_http_body', 'filter_default_fail', 'manual_resume',
  'alert_on_missed', 'alert_on_fail', 'alert_on_stuck', 'alert_on_long',
];
const LISTED_COLUMNS = CHECK_VIEW_COLUMNS.filter((column) => !CHECK_VIEW_FLAGS.includes(column));
const listedCheckOf = compileRowReader<CheckView>(LISTED_COLUMNS, CHECK_VIEW_FLAGS);
// Then come the channel masks.
const FIRST_MASK = LISTED_COLUMNS.length + 1;

export async function listChecks(db: Executor, projectId: number, filter: CheckFilter = {}): Promise<CheckRow[]> {
  let query = db.selectFrom('checks').selectAll().where('project_id', '=', projectId);
  if (filter.slug) query = query.where('slug', '=', filter.slug);
  return withTags(await query.orderBy('id').execute(), filter.tags);
}

/** A check of a list with the UUIDs of its channels, sorted. */
export interface ListedCheck {
  check: CheckView;
  channels: string[];
}

/**
 * Like listChecks, with only the columns of the API representation and each check's channels,
 * read as arrays and handed over `size` at a time (pieces the tag filter empties are skipped): a
 * list can hold 10,000 checks, and a caller that renders each piece as it comes holds one piece at
 * a time. The project's few channels are read first; the check query then says which of them each
 * check has as bit masks, one value per 31 channels, instead of a row per assignment (a row costs
 * the driver more than its values: 10,000 checks with three channels each would be 30,000).
 */
export async function eachListedCheckChunk(
  store: Store,
  projectId: number,
  filter: CheckFilter,
  size: number,
  onChunk: (items: ListedCheck[]) => void,
): Promise<void> {
  const channels = await store.readArrays(store.db.selectFrom('channels').select(['id', 'code']).where('project_id', '=', projectId).compile());
  // Sorted here, not in SQL, so that the order is the same bytewise order on both databases. A
  // channel created after this read is left out, as if the list had been read a moment earlier.
  const byCode = (channels as [number, string][]).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const groups: [number, string][][] = [];
  for (let start = 0; start < byCode.length; start += BITS_PER_VALUE) groups.push(byCode.slice(start, start + BITS_PER_VALUE));
  let query = store.db
    .selectFrom('checks')
    .select(LISTED_COLUMNS)
    .select(packedFlags(CHECK_VIEW_FLAGS).as('flags'))
    .select((eb) =>
      groups.map((group, index) =>
        eb
          .selectFrom('check_channels')
          .select(channelBits(group.map(([id]) => id)).as('mask'))
          .whereRef('check_channels.check_id', '=', 'checks.id')
          .as(`channel_mask_${index}`),
      ),
    )
    .where('project_id', '=', projectId);
  if (filter.slug) query = query.where('slug', '=', filter.slug);
  const channelsOf = channelCodeLists(groups.map((group) => group.map(([, code]) => code)));
  const tags = filter.tags ?? [];
  await store.readArrayChunks(query.orderBy('id').compile(), size, (arrays) => {
    const items: ListedCheck[] = [];
    for (const values of arrays) {
      const check = listedCheckOf(values);
      if (hasTags(check, tags)) items.push({ check, channels: channelsOf(values) });
    }
    if (items.length > 0) onChunk(items);
  });
}

/** Over a check's assignments: bit i set where channelIds[i] is assigned, null without any. */
function channelBits(channelIds: number[]): RawBuilder<number | null> {
  const bits = channelIds.map((id, bit) => sql`when ${id} then ${sql.lit(2 ** bit)}`);
  return sql<number | null>`sum(case ${sql.ref('check_channels.channel_id')} ${sql.join(bits, sql` `)} end)`;
}

/**
 * Channel codes from the masks that follow a check's columns. Checks with the same channels share
 * one array, so that 10,000 checks with the same five channels make five strings and one array.
 */
function channelCodeLists(groups: string[][]): (values: unknown[]) => string[] {
  const shared = new Map<string, string[]>();
  return (values) => {
    let key = '';
    for (let g = 0; g < groups.length; g++) key += `${values[FIRST_MASK + g] ?? 0},`;
    let codes = shared.get(key);
    if (codes === undefined) {
      codes = groups.flatMap((group, g) => {
        const mask = Number(values[FIRST_MASK + g] ?? 0);
        return group.filter((_code, bit) => ((mask >>> bit) & 1) === 1);
      });
      shared.set(key, codes);
    }
    return codes;
  };
}

/** Tags are one space-separated string; exact matching is simplest and safest in code. */
function withTags<Row extends { tags: string }>(rows: Row[], tags: string[] = []): Row[] {
  return tags.length === 0 ? rows : rows.filter((row) => hasTags(row, tags));
}

function hasTags(row: { tags: string }, tags: string[]): boolean {
  if (tags.length === 0) return true;
  const own = new Set(row.tags.split(/\s+/).filter(Boolean));
  return tags.every((t) => own.has(t));
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
