// Statements over many rows at once for alerting's bursts (100,000 checks due in the same second):
// multi-row INSERTs, and UPDATE … FROM a list of rows given as a table in a WITH clause, so that
// each row gets its own values and its own condition in a single statement on both databases.
// The SQL text is written here once per shape and row count and sent with positional parameters,
// because building such statements through the query builder costs more than running them.
import { CompiledQuery } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Executor } from './executor.js';

/** Both databases cap the parameters of one statement (SQLite at 32,766). */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 1000;

export interface ValuesTable {
  /** The WITH name; its column names must differ from the updated table's, to stay unambiguous. */
  name: string;
  /** Column names with their types (PostgreSQL infers a bare parameter in VALUES as text). */
  columns: [string, 'bigint' | 'text'][];
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

/** `(p1, p2, …), (…)` for `rows` rows of `width` values, each wrapped by `wrap`. */
function tuples(dialect: DialectName, rows: number, width: number, wrap: (placeholder: string, column: number) => string): string {
  const out: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) row.push(wrap(dialect === 'postgres' ? `$${++n}` : '?', c));
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

function rowsPerStatement(width: number): number {
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / width)));
}

/** Inserts rows (values in `columns` order), returning the `returning` columns of each. */
export async function insertRows<Row>(
  db: Executor,
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  returning: readonly string[] = [],
): Promise<Row[]> {
  const out: Row[] = [];
  const size = rowsPerStatement(columns.length);
  for (const chunk of chunks(rows, size)) {
    const key = `insert|${dialect}|${table}|${columns.join(',')}|${returning.join(',')}`;
    const text = statementText(key, chunk.length === size, () => {
      const tail = returning.length > 0 ? ` returning ${returning.join(', ')}` : '';
      return `insert into ${table} (${columns.join(', ')}) values ${tuples(dialect, chunk.length, columns.length, (p) => p)}${tail}`;
    });
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, chunk.flat()));
    out.push(...result.rows);
  }
  return out;
}

/**
 * Runs `with <values table> <statement>` for the rows, in as few statements as the parameter
 * limit allows; returns what the statements return. The statement must contain `{keys}`, which
 * becomes the list of the rows' first values, and use it as `<key column> in {keys}`: without it a
 * planner lacking statistics may scan the whole table for every statement.
 */
export async function withValues<Row>(
  db: Executor,
  dialect: DialectName,
  table: ValuesTable,
  rows: unknown[][],
  statement: string,
): Promise<Row[]> {
  const out: Row[] = [];
  const width = table.columns.length;
  const size = rowsPerStatement(width + 1);
  for (const chunk of chunks(rows, size)) {
    const key = `with|${dialect}|${table.name}|${table.columns.join(',')}|${statement}`;
    const text = statementText(key, chunk.length === size, () => {
      const header = `${table.name}(${table.columns.map(([name]) => name).join(', ')})`;
      const values = tuples(dialect, chunk.length, width, (p, c) => `cast(${p} as ${(table.columns[c] as [string, string])[1]})`);
      const first = chunk.length * width;
      const keys = Array.from({ length: chunk.length }, (_, i) => (dialect === 'postgres' ? `$${first + i + 1}` : '?'));
      return `with ${header} as (values ${values}) ${statement.replace('{keys}', `(${keys.join(', ')})`)}`;
    });
    const parameters = [...chunk.flat(), ...chunk.map((row) => row[0])];
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, parameters));
    out.push(...result.rows);
  }
  return out;
}
