// Everything that differs between SQLite and PostgreSQL lives here, so that migrations and queries
// stay one code path.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ColumnDefinitionBuilder, CreateTableBuilder, DatabaseConnection, DialectAdapter, Driver, Kysely, MigrationLockOptions } from 'kysely';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Adds an auto-incrementing integer primary key named `id`. */
export function addIdColumn<T extends string>(
  dialect: DialectName,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

/** Integer type wide enough for epoch milliseconds and ping sequence numbers. */
export function bigintType(dialect: DialectName): 'integer' | 'bigint' {
  return dialect === 'sqlite' ? 'integer' : 'bigint';
}

export function blobType(dialect: DialectName): 'blob' | 'bytea' {
  return dialect === 'sqlite' ? 'blob' : 'bytea';
}

export function doubleType(dialect: DialectName): 'real' | 'double precision' {
  return dialect === 'sqlite' ? 'real' : 'double precision';
}

export function flagColumn(c: ColumnDefinitionBuilder, defaultValue: 0 | 1): ColumnDefinitionBuilder {
  return c.notNull().defaultTo(defaultValue);
}

/**
 * Row locking for read-modify-write inside a transaction. PostgreSQL locks the selected rows;
 * SQLite needs nothing because its transactions hold the database's write lock from their start.
 */
export function forUpdate(dialect: DialectName): boolean {
  return dialect === 'postgres';
}

/** A cheap round trip that proves the database answers. */
export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** PostgreSQL aborts one of two deadlocked or conflicting transactions; retrying it is safe. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Kysely runs SQLite migrations outside a transaction and without a lock, trusting that only one
 * connection exists. Lookout's does not: `lookout migrate` may run beside a starting server. SQLite
 * has transactional DDL, so each migration run is one transaction, and its first statement writes
 * the lock row, which makes any other process wait (busy_timeout) until this run has committed.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await sql`update ${sql.table(options.lockTable)} set is_locked = 1 where id = ${options.lockRowId}`.execute(db);
  }
}

const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const CURRENT_BUSY_TIMEOUT = CompiledQuery.raw('pragma busy_timeout');
const setBusyTimeout = (ms: number) => CompiledQuery.raw(`pragma busy_timeout = ${ms}`);
const LONGEST_PAUSE_MS = 16;

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

/**
 * Transactions take the write lock when they begin. Ping ingestion writes through a second
 * connection (its own thread), and a transaction that began as a reader and then writes after
 * that connection committed fails at once with SQLITE_BUSY, without waiting: SQLite cannot let it
 * write over data it did not see. Begun IMMEDIATE, it waits for the lock instead.
 *
 * It waits here, between turns of the event loop, rather than in SQLite's busy handler: that one
 * sleeps, and would stop everything this thread does (HTTP included) while the other connection
 * commits. The connection's busy_timeout still bounds the wait.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const { rows } = await connection.executeQuery<{ timeout: number }>(CURRENT_BUSY_TIMEOUT);
    const timeoutMs = rows[0]?.timeout ?? 0;
    await connection.executeQuery(setBusyTimeout(0));
    try {
      const giveUpAt = Date.now() + timeoutMs;
      for (let pauseMs = 1; ; pauseMs = Math.min(2 * pauseMs, LONGEST_PAUSE_MS)) {
        try {
          await connection.executeQuery(BEGIN_IMMEDIATE);
          return;
        } catch (error) {
          if (!isBusy(error) || Date.now() >= giveUpAt) throw error;
        }
        await sleep(pauseMs);
      }
    } finally {
      await connection.executeQuery(setBusyTimeout(timeoutMs));
    }
  }
}

export class LookoutSqliteDialect extends SqliteDialect {
  constructor(private readonly driverConfig: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(driverConfig);
  }

  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.driverConfig);
  }
}
