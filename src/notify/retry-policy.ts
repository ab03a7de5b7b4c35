// How often and when a failed delivery is tried again. The next attempt's time is stored with the
// notification, so retries survive restarts; a permanent error is never retried.

/** Waits before the 2nd, 3rd, … attempt: five attempts within about seven minutes. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 20_000, 80_000, 320_000];

/**
 * When to try again after attempt number `attempts` (1-based) failed at `now`; null when that was
 * the last attempt.
 */
export function nextAttemptAt(attempts: number, now: number, delays: readonly number[] = DEFAULT_RETRY_DELAYS_MS): number | null {
  const delay = delays[attempts - 1];
  return delay === undefined ? null : now + delay;
}
