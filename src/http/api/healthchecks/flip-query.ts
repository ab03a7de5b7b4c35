// The flips endpoint's `start`, `end` and `seconds` parameters, read as Healthchecks' Django form
// reads them: Python int() syntax, the last value of a repeated parameter, and range limits.
import type { FlipFilter } from '../../../store/flips.js';

const MAX_TIMESTAMP = 10_000_000_000;
const MAX_SECONDS = 31_536_000;
// What Python's int() accepts: surrounding whitespace, a sign, digits grouped with underscores.
const PYTHON_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
// Django's IntegerField first drops a trailing ".000" (and whitespace after it).
const DECIMAL_ZEROS = /\.0*\s*$/;

function pythonInt(text: string): number | null {
  return PYTHON_INT.test(text) ? Number(text.replace(/_/g, '').trim()) : null;
}

function inRange(value: number | null, max: number): value is number {
  return value !== null && value >= 0 && value <= max;
}

/** The filter, or null when a parameter is invalid (the API then answers 400 with no body). */
export function parseFlipQuery(query: URLSearchParams, now: number): FlipFilter | null {
  const last = (name: string) => query.getAll(name).at(-1);
  const filter: FlipFilter = {};
  // Timestamps go through int() as they are: an empty value is an error, not "no filter".
  const start = last('start');
  if (start !== undefined) {
    const value = pythonInt(start);
    if (!inRange(value, MAX_TIMESTAMP)) return null;
    filter.from = value * 1000;
  }
  const end = last('end');
  if (end !== undefined) {
    const value = pythonInt(end);
    if (!inRange(value, MAX_TIMESTAMP)) return null;
    filter.until = value * 1000;
  }
  const seconds = last('seconds');
  if (seconds !== undefined && seconds !== '') {
    const value = pythonInt(seconds.replace(DECIMAL_ZEROS, ''));
    if (!inRange(value, MAX_SECONDS)) return null;
    // seconds=0 means no filter.
    if (value > 0) filter.from = Math.max(filter.from ?? -Infinity, now - value * 1000);
  }
  return filter;
}
