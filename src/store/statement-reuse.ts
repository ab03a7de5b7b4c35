// Keeping hot paths on a few prepared statements. Preparing a statement costs SQLite more than
// running it, and a statement's text changes with the length of its `IN (…)` list: lists of ids
// are padded to a few fixed lengths, and the hot writes run as single-row statements prepared once
// per connection.
import type SQLite from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

/** Prepared statements by SQL text, the oldest dropped first when full. */
export function statementCache(prepare: (sql: string) => SQLite.Statement): (sql: string) => SQLite.Statement {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** The longest list of ids one statement takes. */
export const MAX_IDS = 500;
const ID_LIST_LENGTHS = [1, 10, 100, MAX_IDS] as const;

/**
 * The distinct ids in lists of at most MAX_IDS, each padded by repeating its last id to the next
 * of a few fixed lengths (a repeated id changes nothing in `id IN (…)`).
 */
export function idLists(ids: Iterable<number>): number[][] {
  const distinct = [...new Set(ids)];
  const lists: number[][] = [];
  for (let i = 0; i < distinct.length; i += MAX_IDS) {
    const list = distinct.slice(i, i + MAX_IDS);
    const length = ID_LIST_LENGTHS.find((l) => l >= list.length) as number;
    const last = list[list.length - 1] as number;
    while (list.length < length) list.push(last);
    lists.push(list);
  }
  return lists;
}

const caches = new WeakMap<SQLite.Database, (text: string) => SQLite.Statement>();

/**
 * The statement for this text on this connection, prepared on first use (one cache per
 * connection). It runs in whatever transaction is open on the connection: only for code that
 * holds it (inside a Kysely transaction, or Kysely's connection).
 */
export function preparedStatement(database: SQLite.Database, text: string): SQLite.Statement {
  let prepare = caches.get(database);
  if (prepare === undefined) {
    prepare = statementCache((sql) => database.prepare(sql));
    caches.set(database, prepare);
  }
  return prepare(text);
}

/**
 * A SELECT's rows as arrays, in the order of its columns (see row-arrays.ts), read at once on the
 * connection, in the transaction the caller holds on it, if any.
 */
export function sqliteArrays(database: SQLite.Database, query: CompiledQuery): unknown[][] {
  return preparedStatement(database, query.sql).raw(true).all(...query.parameters) as unknown[][];
}
