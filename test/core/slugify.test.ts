import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/core/slugify.js';

describe('slugify', () => {
  it.each([
    ['Foo', 'foo'],
    ['Nightly DB backup', 'nightly-db-backup'],
    ['  spaced -- out  ', 'spaced-out'],
    ['Crème brûlée!', 'creme-brulee'],
    ['_under_', 'under'],
    ['a_b', 'a_b'],
    ['日本', ''],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
