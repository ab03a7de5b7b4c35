// The queries of the ping path, where every microsecond counts. Kysely writes all the SQL (so the
// schema types guard it) and only the columns ingestion needs are read.
//
// The two dialects differ in what is cheap. SQLite runs in-process: its statements are compiled
// once and run directly on the connection as prepared single-row statements, rows read as arrays
// (materialising a row object costs more than the lookup). PostgreSQL pays a network round trip
// per statement, so it gets one statement per batch.
import type SQLite from 'better-sqlite3';
import type { TypedColumn, ValuesTable } from './bulk.js';
import { withValues } from './bulk.js';
import type { Store } from './database.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import { compileRowReader } from './row-arrays.js';
import type { CheckRow, CheckUpdate, NewPing } from './schema.js';

export const PING_CHECK_COLUMNS = [
  'id',
  'code',
  'ping_code',
  'project_id',
  'kind',
  'timeout',
  'grace',
  'schedule',
  'tz',
  'status',
  'n_pings',
  'last_ping',
  'last_start',
  'last_start_rid',
  'last_duration',
  'last_success',
  'last_fail',
  'last_exit_code',
  'manual_resume',
  'has_confirmation_link',
  'alert_after',
  'methods',
  'filter_http_body',
  'filter_default_fail',
  'start_kw',
  'success_kw',
  'failure_kw',
  'max_duration',
  'alert_on_stuck',
] as const satisfies readonly (keyof CheckRow)[];

/** What ingestion knows of a check. */
export type PingCheckRow = Pick<CheckRow, (typeof PING_CHECK_COLUMNS)[number]>;

/** The check columns a ping may change. */
export const PING_UPDATE_COLUMNS = [
  'status',
  'n_pings',
  'last_ping',
  'last_start',
  'last_start_rid',
  'last_duration',
  'last_success',
  'last_fail',
  'last_exit_code',
  'has_confirmation_link',
  'alert_after',
] as const satisfies readonly (keyof CheckUpdate)[];

export type PingUpdate = Required<Pick<CheckUpdate, (typeof PING_UPDATE_COLUMNS)[number]>>;

/** How each of those columns crosses in an array (integers as bigint, which assignment narrows). */
const PG_UPDATE_TYPE: Record<(typeof PING_UPDATE_COLUMNS)[number], TypedColumn[1]> = {
  status: 'text',
  n_pings: 'bigint',
  last_ping: 'bigint',
  last_start: 'bigint',
  last_start_rid: 'text',
  last_duration: 'bigint',
  last_success: 'bigint',
  last_fail: 'bigint',
  last_exit_code: 'bigint',
  has_confirmation_link: 'bigint',
  alert_after: 'bigint',
};

/** PostgreSQL's batched update of those columns: the rows as a table `v`, joined by id. */
const PG_UPDATE_VALUES: ValuesTable = {
  name: 'v',
  columns: [['v_id', 'bigint'], ...PING_UPDATE_COLUMNS.map((column) => [`v_${column}`, PG_UPDATE_TYPE[column]] as const)],
};
const PG_UPDATE_STATEMENT = `update checks set ${PING_UPDATE_COLUMNS.map((column) => `${column} = v_${column}`).join(', ')}
  from v where id in {keys} and id = v_id`;

const PING_INSERT_COLUMNS = [
  'check_id',
  'n',
  'created',
  'kind',
  'scheme',
  'remote_addr',
  'method',
  'ua',
  'body',
  'rid',
  'exit_status',
  'duration',
  'runtime',
  'memory',
  'failure_message',
] as const satisfies readonly (keyof NewPing)[];

export type CheckKey = 'code' | 'ping_code';

function placeholderRecord<K extends string>(columns: readonly K[]): Record<K, null> {
  return Object.fromEntries(columns.map((c) => [c, null])) as Record<K, null>;
}

/** A row read as an array (PING_CHECK_COLUMNS' order) as an object. */
const rowFromArray = compileRowReader<PingCheckRow>(PING_CHECK_COLUMNS);

// PostgreSQL caps a statement at 65,535 parameters.
const PINGS_PER_INSERT = 1000;

/** Prepared statements on the SQLite connection, compiled from Kysely queries once. */
class SqliteStatements {
  readonly lockByCode: SQLite.Statement;
  readonly lockByPingCode: SQLite.Statement;
  readonly update: SQLite.Statement;
  readonly insertPing: SQLite.Statement;
  readonly dataVersion: SQLite.Statement;

  constructor(store: Store, native: SQLite.Database) {
    const { db } = store;
    const select = (key: CheckKey) =>
      native.prepare(db.selectFrom('checks').select(PING_CHECK_COLUMNS).where(key, '=', '').compile().sql).raw(true);
    this.lockByCode = select('code');
    this.lockByPingCode = select('ping_code');
    this.update = native.prepare(
      db.updateTable('checks').set(placeholderRecord(PING_UPDATE_COLUMNS) as never).where('id', '=', 0).compile().sql,
    );
    this.insertPing = native.prepare(db.insertInto('pings').values(placeholderRecord(PING_INSERT_COLUMNS) as never).compile().sql);
    this.dataVersion = native.prepare('pragma data_version').pluck();
  }
}

export class PingQueries {
  private readonly sqlite: SqliteStatements | null;

  constructor(private readonly store: Store) {
    this.sqlite = store.sqlite ? new SqliteStatements(store, store.sqlite) : null;
  }

  /**
   * SQLite's `data_version` of this connection: it changes when another connection commits. Null
   * on PostgreSQL.
   */
  dataVersion(): number | null {
    return this.sqlite ? (this.sqlite.dataVersion.get() as number) : null;
  }

  /** The checks whose `key` is one of `values`, locked until the transaction ends. */
  async lockChecks(trx: Executor, key: CheckKey, values: string[]): Promise<PingCheckRow[]> {
    if (values.length === 0) return [];
    if (this.sqlite) {
      const statement = key === 'code' ? this.sqlite.lockByCode : this.sqlite.lockByPingCode;
      const rows: PingCheckRow[] = [];
      for (const value of values) {
        const found = statement.get(value) as unknown[] | undefined;
        if (found) rows.push(rowFromArray(found));
      }
      return rows;
    }
    // Sorted values and `order by id` make concurrent batches lock rows in the same order.
    const query = trx.selectFrom('checks').select(PING_CHECK_COLUMNS).where(key, 'in', [...values].sort()).orderBy('id');
    return (forUpdate(this.store.dialect) ? query.forUpdate() : query).execute();
  }

  /** All checks with this slug in the project with this ping key (two or more are ambiguous). */
  async lockChecksBySlug(trx: Executor, pingKey: string, slug: string): Promise<PingCheckRow[]> {
    const query = trx
      .selectFrom('checks')
      .innerJoin('projects', 'projects.id', 'checks.project_id')
      .select(PING_CHECK_COLUMNS.map((c) => `checks.${c}` as const))
      .where('projects.ping_key', '=', pingKey)
      .where('checks.slug', '=', slug)
      .orderBy('checks.id')
      .limit(2);
    return (forUpdate(this.store.dialect) ? query.forUpdate() : query).execute() as Promise<PingCheckRow[]>;
  }

  /** Writes the final state of every check a batch changed. */
  async updateChecks(trx: Executor, updates: Map<number, PingUpdate>): Promise<void> {
    if (updates.size === 0) return;
    if (this.sqlite) {
      for (const [id, update] of updates) this.sqlite.update.run(...PING_UPDATE_COLUMNS.map((c) => update[c]), id);
      return;
    }
    // One statement for the whole batch: a column of values per field, joined by id.
    await withValues(
      trx,
      'postgres',
      PG_UPDATE_VALUES,
      [...updates].map(([id, update]) => [id, ...PING_UPDATE_COLUMNS.map((column) => update[column])]),
      PG_UPDATE_STATEMENT,
    );
  }

  async insertPings(trx: Executor, pings: NewPing[]): Promise<void> {
    if (this.sqlite) {
      for (const ping of pings) this.sqlite.insertPing.run(...PING_INSERT_COLUMNS.map((c) => ping[c] ?? null));
      return;
    }
    for (let i = 0; i < pings.length; i += PINGS_PER_INSERT) {
      await trx.insertInto('pings').values(pings.slice(i, i + PINGS_PER_INSERT)).execute();
    }
  }
}
