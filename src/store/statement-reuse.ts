// Keeping alerting's bursts on a few prepared statements. Preparing a statement costs SQLite more
// than running it, and a statement's text changes with the length of its `IN (…)` list: lists of
// ids are padded to a few fixed lengths, and the hot writes run as single-row statements prepared
// once per connection.
import type SQLite from 'better-sqlite3';
import { statementCache } from './database.js';

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
 * The statement for this text on this connection, prepared on first use (the store's statement
 * cache, one per connection). It runs in whatever transaction the caller holds on the
 * connection: only for code inside a Kysely transaction.
 */
export function preparedStatement(database: SQLite.Database, text: string): SQLite.Statement {
  let prepare = caches.get(database);
  if (prepare === undefined) {
    prepare = statementCache((sql) => database.prepare(sql));
    caches.set(database, prepare);
  }
  return prepare(text);
}
