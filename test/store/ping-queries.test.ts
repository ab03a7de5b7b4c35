import { describe, expect, it } from 'vitest';
import { PING_CHECK_COLUMNS, rowFromArray } from '../../src/store/ping-queries.js';

describe('rowFromArray', () => {
  it('reads the values in the order of PING_CHECK_COLUMNS', () => {
    const row = rowFromArray(PING_CHECK_COLUMNS.map((column) => `value of ${column}`));
    expect(Object.keys(row)).toEqual([...PING_CHECK_COLUMNS]);
    for (const column of PING_CHECK_COLUMNS) expect(row[column]).toBe(`value of ${column}`);
  });
});
