// The many-row statements of alerting's bursts, on both databases: every row arrives with its
// values as given (text that array literals and SQL quote, nulls, the largest ids), whatever the
// number of rows, and an update changes exactly the rows whose condition holds.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows, withValues } from '../../src/store/bulk.js';
import type { TypedColumn } from '../../src/store/bulk.js';
import type { Store } from '../../src/store/database.js';
import { DIALECTS, newTestStore } from '../support/databases.js';

const COLUMNS: TypedColumn[] = [
  ['n', 'bigint'],
  ['label', 'text'],
  ['note', 'text'],
];

/** Text that an array literal must quote or escape, SQL must not read as syntax, and neither may turn into NULL. */
const AWKWARD = [
  '',
  'NULL',
  'null',
  '"quoted"',
  'back\\slash',
  'a,b',
  '{braces}',
  "it's",
  ' padded ',
  'line\nbreak',
  'é — ✓ 😀',
  '$1',
  '?',
];

interface ProbeRow {
  id: number;
  n: number;
  label: string;
  note: string | null;
}

describe.each(DIALECTS)('bulk statements on %s', (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    const id = dialect === 'postgres' ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
    await sql`create table bulk_probe (
      id ${id}, n bigint not null, label varchar(100) not null, note text, seen integer not null default 0
    )`.execute(store.db);
  });

  afterAll(async () => {
    await store.close();
  });

  async function stored(): Promise<ProbeRow[]> {
    const rows = await sql<ProbeRow>`select id, n, label, note from bulk_probe order by id`.execute(store.db);
    return rows.rows.map((row) => ({ ...row, id: Number(row.id), n: Number(row.n) }));
  }

  it('inserts every row as given, across several statements', async () => {
    const rows = Array.from({ length: 2_345 }, (_, i) => [
      i === 0 ? Number.MAX_SAFE_INTEGER : i,
      AWKWARD[i % AWKWARD.length],
      i % 3 === 0 ? null : `note ${i}`,
    ]);
    await insertRows(store.db, store.dialect, 'bulk_probe', COLUMNS, rows);

    const all = await stored();
    expect(all.map((row) => [row.n, row.label, row.note])).toEqual(rows);
  });

  it('inserts nothing for no rows', async () => {
    const before = (await stored()).length;
    await insertRows(store.db, store.dialect, 'bulk_probe', COLUMNS, []);
    expect((await stored()).length).toBe(before);
  });

  it('updates, row by row, exactly the rows whose own condition holds, and returns them', async () => {
    const all = await stored();
    // Every row gets a new label; only rows whose n is still what is given change.
    const changes = all.map((row, i) => [row.id, i % 2 === 0 ? row.n : row.n + 1, `${AWKWARD[(i + 5) % AWKWARD.length]} #${i}`]);
    const changed = await withValues<{ id: number }>(
      store.db,
      store.dialect,
      { name: 'c', columns: [['c_id', 'bigint'], ['c_n', 'bigint'], ['c_label', 'text']] },
      changes,
      'update bulk_probe set label = c_label, seen = seen + 1 from c where id in {keys} and id = c_id and n = c_n returning id',
    );

    const expected = changes.filter((_, i) => i % 2 === 0);
    expect(new Set(changed.map((row) => Number(row.id)))).toEqual(new Set(expected.map(([id]) => id)));
    const after = await stored();
    after.forEach((row, i) => expect(row.label).toBe(i % 2 === 0 ? changes[i]?.[2] : all[i]?.label));
    const seen = await sql<{ seen: number; rows: number }>`select seen, count(*) as rows from bulk_probe group by seen order by seen`.execute(
      store.db,
    );
    expect(seen.rows.map((row) => [Number(row.seen), Number(row.rows)])).toEqual([
      [0, all.length - expected.length],
      [1, expected.length],
    ]);
  });

  it('sets a column to null from a null in the rows', async () => {
    const [first] = await stored();
    await withValues(
      store.db,
      store.dialect,
      { name: 'c', columns: [['c_id', 'bigint'], ['c_note', 'text']] },
      [[first?.id, null]],
      'update bulk_probe set note = c_note from c where id in {keys} and id = c_id',
    );
    expect((await stored())[0]?.note).toBeNull();
  });
});
