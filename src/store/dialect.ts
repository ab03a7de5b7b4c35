// Everything that differs between SQLite and PostgreSQL lives here, so that migrations and queries
// stay one code path.
import type { ColumnDefinitionBuilder, CreateTableBuilder, DialectAdapter, Kysely, MigrationLockOptions } from 'kysely';
import { SqliteAdapter, SqliteDialect, sql } from 'kysely';

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
 * SQLite needs nothing because its transactions are serialised by the single connection.
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

export class LookoutSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}
