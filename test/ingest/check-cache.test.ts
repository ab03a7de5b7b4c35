// The SQLite ping writer's memory of checks: what it hands back, and when it forgets.
import { describe, expect, it } from 'vitest';
import { CheckCache } from '../../src/ingest/check-cache.js';
import type { PingCheckRow } from '../../src/store/ping-queries.js';

function row(id: number): PingCheckRow {
  return { id, code: `code-${id}`, ping_code: `pc${id}` } as PingCheckRow;
}

describe('CheckCache', () => {
  it('finds a kept row by its UUID and by its ping code', () => {
    const cache = new CheckCache();
    cache.sync(1);
    const kept = row(1);
    cache.put(kept);
    expect(cache.get('code', 'code-1')).toBe(kept);
    expect(cache.get('ping_code', 'pc1')).toBe(kept);
    expect(cache.get('code', 'code-2')).toBeUndefined();
  });

  it('keeps its rows while the data version stays, and forgets them all when it moves', () => {
    const cache = new CheckCache();
    cache.sync(7);
    cache.put(row(1));
    cache.sync(7);
    expect(cache.get('code', 'code-1')).toBeDefined();
    cache.sync(8);
    expect(cache.get('code', 'code-1')).toBeUndefined();
    expect(cache.get('ping_code', 'pc1')).toBeUndefined();
  });

  it('forgets one check under both keys, and everything on clear', () => {
    const cache = new CheckCache();
    cache.sync(1);
    const [first, second, third] = [row(1), row(2), row(3)];
    for (const kept of [first, second, third]) cache.put(kept);
    cache.forget(first);
    expect(cache.get('code', 'code-1')).toBeUndefined();
    expect(cache.get('ping_code', 'pc1')).toBeUndefined();
    expect(cache.get('code', 'code-2')).toBe(second);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('ping_code', 'pc3')).toBeUndefined();
  });

  it('starts again empty instead of growing past its limit, and still takes the new row', () => {
    const cache = new CheckCache(2);
    cache.sync(1);
    cache.put(row(1));
    cache.put(row(2));
    cache.put(row(2));
    expect(cache.size).toBe(2);
    cache.put(row(3));
    expect(cache.size).toBe(1);
    expect(cache.get('code', 'code-1')).toBeUndefined();
    expect(cache.get('code', 'code-3')).toBeDefined();
  });
});
