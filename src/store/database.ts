// Opens the database named by DATABASE_URL and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import type { CompiledQuery, SqliteDatabase, SqliteStatement } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import { LookoutSqliteDialect } from './dialect.js';
import { LookoutMigrations } from './migrations/index.js';
import type { ArrayChunkReader, ArrayReader } from './row-arrays.js';
import { chunkedReader } from './row-arrays.js';
import type { Database } from './schema.js';
import { SAFETY_NET_PAGES, SqliteCheckpointer } from './sqlite-checkpointer.js';
import { preparedStatement, sqliteArrays, statementCache } from './statement-reuse.js';

// PostgreSQL's bigint arrives as a string by default; every bigint here (ids, epoch milliseconds,
// byte counts) fits in a double, so read them as numbers like SQLite does.
pg.types.setTypeParser(20, (value) => Number(value));

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * The SQLite connection under `db`, for the few hot paths that run prepared statements
   * directly (same connection, so they take part in Kysely's open transaction). Null on PostgreSQL.
   */
  sqlite: SQLite.Database | null;
  /** Rows as arrays, for reads of thousands of rows (see row-arrays.ts). */
  readArrays: ArrayReader;
  /** The same, a piece at a time. */
  readArrayChunks: ArrayChunkReader;
  close(): Promise<void>;
}

/** How long a statement waits for another process's write lock. */
const BUSY_TIMEOUT_MS = 5000;
const MIGRATION_BUSY_TIMEOUT_MS = 120_000;

export interface OpenOptions {
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * Folds SQLite's WAL back into the database file from a worker thread (default). A second
   * connection in the same process, such as the ping writer's, leaves that to the first.
   */
  checkpoints?: boolean;
}

// Kysely prepares every statement anew; on the ping path that costs more than running it. The
// same SQL text gets the same prepared statement. (Safe because Kysely never streams here: a
// statement is always finished before the next query starts on the single connection.)
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const prepare = statementCache((sql) => database.prepare(sql));
  return { close: () => database.close(), prepare: (sql: string): SqliteStatement => prepare(sql) };
}

/**
 * Array reads on the SQLite connection. They hold Kysely's connection like any query, so they
 * never run in the middle of another caller's open transaction on the shared connection.
 */
function sqliteArrayReaders(db: Kysely<Database>, database: SQLite.Database): Pick<Store, 'readArrays' | 'readArrayChunks'> {
  return {
    readArrays: (query) => db.connection().execute(async () => sqliteArrays(database, query)),
    readArrayChunks: (query, size, onChunk) =>
      db.connection().execute(async () => {
        let chunk: unknown[][] = [];
        const rows = preparedStatement(database, query.sql).raw(true).iterate(...query.parameters) as IterableIterator<unknown[]>;
        for (const row of rows) {
          chunk.push(row);
          if (chunk.length === size) {
            onChunk(chunk);
            chunk = [];
          }
        }
        if (chunk.length > 0) onChunk(chunk);
      }),
  };
}

function openSqlite(file: string, checkpoints: boolean): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  // First, so that every later statement, the switch to WAL included, waits for other processes.
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit is in the WAL before the statement returns, so a killed process
  // loses nothing; only a power loss can drop the last transactions. Group commits keep it cheap.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const inMemory = file === ':memory:';
  if (!inMemory) database.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const checkpointer = inMemory || !checkpoints ? null : new SqliteCheckpointer(file);
  const db = new Kysely<Database>({ dialect: new LookoutSqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: 'sqlite',
    sqlite: database,
    ...sqliteArrayReaders(db, database),
    async close() {
      await db.destroy();
      await checkpointer?.stop();
    },
  };
}

function openPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const readArrays: ArrayReader = async (query) =>
    (await pool.query({ text: query.sql, values: query.parameters as unknown[], rowMode: 'array' })).rows as unknown[][];
  return { db, dialect: 'postgres', sqlite: null, readArrays, readArrayChunks: chunkedReader(readArrays), close: () => db.destroy() };
}

export function openStore(databaseUrl: string, options: OpenOptions = {}): Store {
  if (databaseUrl.startsWith('sqlite:')) return openSqlite(databaseUrl.slice('sqlite:'.length), options.checkpoints ?? true);
  return openPostgres(databaseUrl, options.poolSize ?? 10);
}

export class MigrationError extends Error {}

/** Applies every pending migration; safe to run from several processes at once. */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: new LookoutMigrations(store.dialect),
    migrationTableName: 'lookout_migrations',
    migrationLockTableName: 'lookout_migrations_lock',
  });
  // Another process may hold the migration lock for as long as its migrations take.
  store.sqlite?.pragma(`busy_timeout = ${MIGRATION_BUSY_TIMEOUT_MS}`);
  const { error, results } = await migrator.migrateToLatest().finally(() => store.sqlite?.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`));
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
