// The skeleton of alerting's background loops (the deadline scheduler, the delivery workers): run a
// turn, sleep until the next piece of work is due, wake early when told of earlier work, and keep
// going after an error. Time and sleep are injected, so that tests run the loops without real time.
import type { Logger } from 'pino';
import type { Clock, Sleep } from '../clock.js';
import { systemSleep } from '../clock.js';

/** What a loop shares with the service that runs it. */
export interface LoopContext {
  clock: Clock;
  logger: Pick<Logger, 'error'>;
  sleep?: Sleep;
}

export interface DueLoopOptions {
  /** What the loop does, for its error log ("alert scheduler"). */
  name: string;
  /** Does what is due now; returns when the next turn is due (epoch ms, the past for "at once"). */
  turn(): Promise<number>;
  /** Pause after a turn that failed. */
  errorPauseMs?: number;
  /**
   * Shortest pause between turns: a loop whose due work is held elsewhere (rows another process
   * has locked) must not spin.
   */
  minSleepMs?: number;
}

export class DueLoop {
  private readonly sleep: Sleep;
  private running = false;
  private loop: Promise<void> | null = null;
  private sleeping: AbortController | null = null;
  private plannedWake = Infinity;
  /** The earliest moment announced through wake() since the current turn began. */
  private requested = Infinity;

  constructor(
    private readonly context: LoopContext,
    private readonly options: DueLoopOptions,
  ) {
    this.sleep = context.sleep ?? systemSleep;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the turn in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeping?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Work falls due at `at` (now when left out): the next turn starts no later than that. */
  wake(at: number = this.context.clock.now()): void {
    if (at < this.requested) this.requested = at;
    if (at < this.plannedWake) this.sleeping?.abort();
  }

  private async run(): Promise<void> {
    const { clock, logger } = this.context;
    while (this.running) {
      this.requested = Infinity;
      let next: number;
      try {
        next = await this.options.turn();
      } catch (error) {
        logger.error({ err: error }, `${this.options.name} failed; retrying`);
        next = clock.now() + (this.options.errorPauseMs ?? 5_000);
      }
      if (!this.running) break;
      const now = clock.now();
      const delay = Math.max(Math.min(next, this.requested) - now, this.options.minSleepMs ?? 0);
      if (delay <= 0) {
        // At once, but after the I/O that is waiting: a busy loop must not starve the process.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      this.plannedWake = now + delay;
      this.sleeping = new AbortController();
      await this.sleep(delay, this.sleeping.signal);
      this.sleeping = null;
      this.plannedWake = Infinity;
    }
  }
}
