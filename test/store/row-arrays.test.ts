import { describe, expect, it } from 'vitest';
import { compileRowReader, packedFlags } from '../../src/store/row-arrays.js';
import { PING_CHECK_COLUMNS } from '../../src/store/ping-queries.js';
import { CHECK_VIEW_COLUMNS } from '../../src/store/checks.js';

describe('compileRowReader', () => {
  it('names each value of an array row by its column, in order', () => {
    const read = compileRowReader<{ id: number; name: string; last_ping: number | null }>(['id', 'name', 'last_ping']);
    expect(read([7, 'backup', null])).toEqual({ id: 7, name: 'backup', last_ping: null });
  });

  it.each([
    ['the ping path', PING_CHECK_COLUMNS],
    ['the check list', CHECK_VIEW_COLUMNS],
  ])('reads the columns of %s with keys in column order', (_label, columns: readonly string[]) => {
    const row = compileRowReader<Record<string, unknown>>(columns)(columns.map((column) => `value of ${column}`));
    expect(Object.keys(row)).toEqual([...columns]);
    for (const column of columns) expect(row[column]).toBe(`value of ${column}`);
  });

  it('gives every row the same shape, so that V8 keeps one hidden class', () => {
    const read = compileRowReader<object>(['a', 'b']);
    const first = read([1, 2]);
    const second = read(['x', null]);
    expect(Object.keys(first)).toEqual(Object.keys(second));
  });

  it.each(['id; drop table checks', 'Name', '1st', 'a-b', ''])('refuses %j, which is not a column name', (column) => {
    expect(() => compileRowReader([column])).toThrow('not a column name');
  });
});

describe('compileRowReader with packed flags', () => {
  it('reads flag i from bit i of the value after the columns, as 0 or 1', () => {
    const read = compileRowReader<Record<string, unknown>>(['id', 'name'], ['a', 'b', 'c', 'd']);
    expect(read([7, 'x', 0b1010])).toEqual({ id: 7, name: 'x', a: 0, b: 1, c: 0, d: 1 });
    expect(read([8, 'y', 0])).toEqual({ id: 8, name: 'y', a: 0, b: 0, c: 0, d: 0 });
  });

  it('reads up to 31 flags, the highest bit included', () => {
    const flags = Array.from({ length: 31 }, (_, i) => `flag_${i}`);
    const read = compileRowReader<Record<string, number>>([], flags);
    const row = read([2 ** 31 - 1]);
    expect(flags.map((flag) => row[flag])).toEqual(flags.map(() => 1));
    expect(read([2 ** 30])[flags[30]!]).toBe(1);
  });

  it.each([0, 32])('refuses to pack %i flags', (count) => {
    expect(() => packedFlags(Array.from({ length: count }, () => 'flag'))).toThrow('cannot pack');
  });
});
