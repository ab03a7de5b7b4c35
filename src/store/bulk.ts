// Statements over many rows at once for alerting's bursts (100,000 checks due in the same second):
// multi-row INSERTs, and UPDATE … FROM a list of rows given as a table in a WITH clause, so that
// each row gets its own values and its own condition in a single statement on both databases.
// SQLite takes the rows as a VALUES list of positional parameters, its statement text written here
// once per shape and row count (building such statements through the query builder costs more
// than running them). PostgreSQL takes one typed array per column, unnested into rows: its
// statement text is the same for any number of rows, and parsing and planning a VALUES list of
// thousands of parameters cost it a fifth of the statement (measured on 1,000-row inserts into
// the outbox: 51–56 µs of the database server's CPU per row with VALUES, 42–44 with arrays).
import { CompiledQuery } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Executor } from './executor.js';

/** SQLite caps the parameters of one statement at 32,766. */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 1000;

/** A column's name and its PostgreSQL type (an array parameter needs one; a value converts to the column's own). */
export type TypedColumn = readonly [name: string, type: 'bigint' | 'text'];

export interface ValuesTable {
  /** The WITH name; its column names must differ from the updated table's, to stay unambiguous. */
  name: string;
  /** The first column is the key the statement matches rows by. */
  columns: readonly TypedColumn[];
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Only full-size statements are kept: the last, shorter statement of a list varies in length.
const texts = new Map<string, string>();

function statementText(key: string, full: boolean, build: () => string): string {
  if (!full) return build();
  let text = texts.get(key);
  if (text === undefined) {
    text = build();
    texts.set(key, text);
  }
  return text;
}

/** `(?, ?, …), (…)` for `rows` rows of `width` values, each wrapped by `wrap`. */
function tuples(rows: number, width: number, wrap: (column: number) => string): string {
  const row = `(${Array.from({ length: width }, (_, c) => wrap(c)).join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** `unnest($1::bigint[], $2::text[], …)`: the rows of one array parameter per column. */
function unnested(columns: readonly TypedColumn[]): string {
  return `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
}

/** The rows' values as one array per column, for unnested(). */
function columnArrays(rows: readonly unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, c) => rows.map((row) => row[c]));
}

function rowsPerStatement(width: number): number {
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / width)));
}

/** Inserts rows (values in `columns` order). */
export async function insertRows(
  db: Executor,
  dialect: DialectName,
  table: string,
  columns: readonly TypedColumn[],
  rows: unknown[][],
): Promise<void> {
  const into = `insert into ${table} (${columns.map(([name]) => name).join(', ')})`;
  const size = rowsPerStatement(columns.length);
  for (const chunk of chunks(rows, size)) {
    const query =
      dialect === 'postgres'
        ? CompiledQuery.raw(`${into} select * from ${unnested(columns)}`, columnArrays(chunk, columns.length))
        : CompiledQuery.raw(
            statementText(into, chunk.length === size, () => `${into} values ${tuples(chunk.length, columns.length, () => '?')}`),
            chunk.flat(),
          );
    await db.executeQuery(query);
  }
}

/**
 * Runs `with <values table> <statement>` for the rows, in as few statements as the parameter
 * limit allows; returns what the statements return. The statement must match rows by the table's
 * first column as `<key column> in {keys}`: without a condition on the key, a planner lacking
 * statistics may scan the whole table for every statement. SQLite gets the list of keys there,
 * PostgreSQL `= any(…)` of the first column's array.
 */
export async function withValues<Row>(
  db: Executor,
  dialect: DialectName,
  table: ValuesTable,
  rows: unknown[][],
  statement: string,
): Promise<Row[]> {
  const out: Row[] = [];
  const { columns } = table;
  const header = `with ${table.name}(${columns.map(([name]) => name).join(', ')}) as`;
  const size = rowsPerStatement(columns.length + 1);
  for (const chunk of chunks(rows, size)) {
    const query =
      dialect === 'postgres'
        ? CompiledQuery.raw(
            `${header} (select * from ${unnested(columns)}) ${statement.replace(' in {keys}', ` = any($1::${(columns[0] as TypedColumn)[1]}[])`)}`,
            columnArrays(chunk, columns.length),
          )
        : CompiledQuery.raw(
            statementText(`${header}${statement}`, chunk.length === size, () => {
              const values = tuples(chunk.length, columns.length, (c) => `cast(? as ${(columns[c] as TypedColumn)[1]})`);
              return `${header} (values ${values}) ${statement.replace(' in {keys}', ` in ${tuples(1, chunk.length, () => '?')}`)}`;
            }),
            [...chunk.flat(), ...chunk.map((row) => row[0])],
          );
    out.push(...(await db.executeQuery<Row>(query)).rows);
  }
  return out;
}
