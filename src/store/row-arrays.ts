// Reading many rows fast. A row object built by a database driver costs more than finding the row:
// drivers add its columns one by one, so V8 ends up with a slow dictionary object per row. Reading
// rows as arrays and turning each into an object literal of one fixed shape is several times
// cheaper — it is what makes a list of 10,000 checks affordable. Each value a driver hands over
// costs too, whatever its size, so a list reads its 0/1 flag columns packed into one integer.
import type { CompiledQuery, RawBuilder } from 'kysely';
import { sql } from 'kysely';

/** Runs a compiled SELECT and returns its rows as arrays, in the order of its columns. */
export type ArrayReader = (query: CompiledQuery) => Promise<unknown[][]>;

/**
 * Like ArrayReader, handing the rows over `size` at a time as they are read, so that a caller
 * that turns them into something else holds one piece at a time. `onChunk` runs synchronously
 * while the read is open: it must not query the database.
 */
export type ArrayChunkReader = (query: CompiledQuery, size: number, onChunk: (rows: unknown[][]) => void) => Promise<void>;

/** Chunks from a reader that reads all rows first (where the driver cannot stream cheaply). */
export function chunkedReader(read: ArrayReader): ArrayChunkReader {
  return async (query, size, onChunk) => {
    const rows = await read(query);
    for (let start = 0; start < rows.length; start += size) onChunk(rows.slice(start, start + size));
  };
}

/** Bits one integer value can carry, 2^0 to 2^30: their sum is a 32-bit integer on every database. */
export const BITS_PER_VALUE = 31;

/**
 * One integer for 0/1 flag columns, bit i set where flags[i] is 1 (any other value reads as 0),
 * for the column that follows the others in a row that compileRowReader(columns, flags) reads.
 */
export function packedFlags(flags: readonly string[]): RawBuilder<number> {
  if (flags.length === 0 || flags.length > BITS_PER_VALUE) throw new Error(`cannot pack ${flags.length} flags`);
  return sql<number>`${sql.join(
    flags.map((flag, bit) => sql`case when ${sql.ref(flag)} = 1 then ${sql.lit(2 ** bit)} else 0 end`),
    sql` + `,
  )}`;
}

/**
 * A function that turns a row read as an array (columns in this order, then the packedFlags of
 * `flags` when there are any) into an object literal with a key per column and per flag (0 or 1).
 * It is compiled once per column list, so that every object it makes has the same shape and V8
 * keeps their property access fast; a loop of keyed assignments would make dictionary objects.
 * Column names are the code's own constants, never input.
 */
export function compileRowReader<Row>(columns: readonly string[], flags: readonly string[] = []): (values: unknown[]) => Row {
  for (const column of [...columns, ...flags]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`not a column name: ${column}`);
  }
  const packed = `v[${columns.length}]`;
  const literal = [
    ...columns.map((column, i) => `${column}: v[${i}]`),
    ...flags.map((flag, bit) => `${flag}: (${packed} >>> ${bit}) & 1`),
  ].join(', ');
  return new Function('v', `return { ${literal} };`) as (values: unknown[]) => Row;
}
