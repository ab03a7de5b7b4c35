// The flips endpoint's query parameters, read as Healthchecks' Django form reads them.
import { describe, expect, it } from 'vitest';
import { parseFlipQuery } from '../../src/http/api/healthchecks/flip-query.js';

const NOW = 1_700_000_000_000;
const parse = (query: string) => parseFlipQuery(new URLSearchParams(query), NOW);

describe('parseFlipQuery', () => {
  it('reads start (inclusive) and end (exclusive) as UNIX seconds', () => {
    expect(parse('start=1592214380&end=1592217980')).toEqual({ from: 1592214380_000, until: 1592217980_000 });
  });

  it('reads seconds as "the last N seconds", and 0 or an empty value as no filter', () => {
    expect(parse('seconds=3600')).toEqual({ from: NOW - 3_600_000 });
    expect(parse('seconds=0')).toEqual({});
    expect(parse('seconds=')).toEqual({});
  });

  it('accepts what Python int() accepts: whitespace, a sign, underscores', () => {
    expect(parse('start=%2012%20')).toEqual({ from: 12_000 });
    expect(parse('start=%2B12')).toEqual({ from: 12_000 });
    expect(parse('start=1_000')).toEqual({ from: 1_000_000 });
  });

  it('lets seconds end in ".0" as Django IntegerField does, but not start', () => {
    expect(parse('seconds=60.0')).toEqual({ from: NOW - 60_000 });
    expect(parse('start=60.0')).toBeNull();
  });

  it('uses the last of repeated values', () => {
    expect(parse('start=1&start=2')).toEqual({ from: 2000 });
  });

  it.each(['start=', 'start=abc', 'start=-1', 'start=10000000001', 'end=1.5', 'seconds=31536001', 'seconds=-1', 'seconds=1e3', 'start=1__0'])(
    'refuses %s',
    (query) => {
      expect(parse(query)).toBeNull();
    },
  );

  it('accepts the limits themselves', () => {
    expect(parse('start=0&end=10000000000&seconds=31536000')).not.toBeNull();
  });
});
