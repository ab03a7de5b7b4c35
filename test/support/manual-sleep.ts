// A Sleep for tests: sleepers wait until the test moves its ManualClock past their wake time and
// calls release(), or until they are woken through their signal. No real time passes.
import type { ManualClock, Sleep } from '../../src/clock.js';

interface Sleeper {
  until: number;
  resolve(): void;
}

export class ManualSleep {
  private readonly sleepers = new Set<Sleeper>();
  /** Every requested sleep, in milliseconds, in order. */
  readonly requested: number[] = [];

  constructor(private readonly clock: ManualClock) {}

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      this.requested.push(ms);
      if (signal.aborted) return resolve();
      const sleeper: Sleeper = {
        until: this.clock.now() + ms,
        resolve: () => {
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal.addEventListener('abort', () => sleeper.resolve(), { once: true });
    });

  /** How many are asleep now. */
  get waiting(): number {
    return this.sleepers.size;
  }

  /** Wakes every sleeper whose time has come on the clock. */
  release(): void {
    for (const sleeper of [...this.sleepers]) if (sleeper.until <= this.clock.now()) sleeper.resolve();
  }
}

/** Resolves once `condition` holds, checking after each turn of the event loop (bounded). */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
