// Time limits of send attempts: an attempt that ignores its signal still ends at its timeout,
// attempts that start together share a deadline, and no timer outlives the attempts.
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/channels/types.js';
import { AttemptDeadlines } from '../../src/notify/send.js';

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('attempt deadlines', () => {
  it('ends an attempt that ignores its signal at its timeout, and aborts the signal', async () => {
    const deadlines = new AttemptDeadlines(200);
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const attempt = deadlines.run((signal) => {
      seen = signal;
      return new Promise<void>(() => {});
    });
    await expect(attempt).rejects.toThrow(new TransportError('Connection timed out'));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(195);
    // One tick (a twentieth of the timeout) more at most, and a busy machine's slack.
    expect(took).toBeLessThan(1_000);
    expect(seen?.aborted).toBe(true);
  });

  it('lets attempts that finish in time finish, with their own outcome', async () => {
    const deadlines = new AttemptDeadlines(1_000);
    await expect(deadlines.run(async () => {})).resolves.toBeUndefined();
    await expect(deadlines.run(async () => Promise.reject(new TransportError('Received status code 500')))).rejects.toThrow(
      'Received status code 500',
    );
    await expect(
      deadlines.run(() => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
  });

  it('shares one signal between attempts that start together, and leaves no timer behind', async () => {
    const before = timers();
    const deadlines = new AttemptDeadlines(30_000);
    const signals = new Set<AbortSignal>();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        deadlines.run(async (signal) => {
          signals.add(signal);
          await new Promise((resolve) => setImmediate(resolve));
        }),
      ),
    );
    expect(signals.size).toBe(1);
    expect([...signals][0]?.aborted).toBe(false);
    expect(timers()).toBe(before);
  });
});
