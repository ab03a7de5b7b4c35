// Parsed schedules are reused on every ping of a check; a small bounded map keeps the hot ones
// without letting a stream of distinct expressions grow memory.

/** Wraps `compute` so each key is computed once while it stays among the `limit` newest keys. */
export function cached<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const entries = new Map<string, T>();
  return (key) => {
    let value = entries.get(key);
    if (value === undefined) {
      value = compute(key);
      if (entries.size >= limit) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(key, value);
    }
    return value;
  };
}
