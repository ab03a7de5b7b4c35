// The detection engine. It sleeps until the earliest deadline any check has (an indexed lookup,
// never a scan of all checks), wakes early when told of an earlier one, and then marks the checks
// whose deadline passed as down — timestamped at the deadline, not at the moment it noticed — in
// batches of one transaction each, queuing their notifications in the same transaction. The same
// loop sends reminders and announces flips that were written without notifications.
//
// Several processes may share one PostgreSQL: due rows are claimed with FOR UPDATE SKIP LOCKED and
// changed only if they still hold what was read, so each deadline makes exactly one flip.
import type { Logger } from 'pino';
import type { Clock, Sleep } from '../clock.js';
import { evaluateDeadline } from '../core/alert-rules.js';
import type { DeadlineOutcome } from '../core/alert-rules.js';
import {
  announceUnprocessedFlips,
  claimDueDeadlines,
  claimDueReminders,
  markChecksDown,
  nextDeadline,
  nextReminderDue,
  queueReminders,
  rescheduleDeadlines,
} from '../store/alerts.js';
import type { DueDeadline, MissedDeadline } from '../store/alerts.js';
import { checkTimingOf } from '../store/check-mapping.js';
import type { Store } from '../store/database.js';
import { DueLoop } from '../notify/due-loop.js';

export interface SchedulerOptions {
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  sleep?: Sleep;
  /** Checks handled per transaction. */
  batchSize?: number;
  /**
   * Longest sleep between looks at the database: deadlines nobody announced (another process's
   * pings, a clock that jumped) are found at least this often.
   */
  maxSleepMs?: number;
  /** Called after notifications were queued, so that delivery starts at once. */
  onQueued?: () => void;
}

export interface RunSummary {
  /** Checks that went down. */
  down: number;
  /** Notifications queued as reminders. */
  reminders: number;
  /** Flips announced that had been written without notifications. */
  flipsAnnounced: number;
  notifications: number;
}

const HOUR = 3_600_000;

/**
 * Between two batches: lets waiting work take the database first. On SQLite's single connection
 * delivery would otherwise only start once the last batch of a burst is written.
 */
function letOthersIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class DeadlineScheduler {
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly loop: DueLoop;

  constructor(
    private readonly store: Store,
    private readonly options: SchedulerOptions,
  ) {
    this.clock = options.clock;
    this.batchSize = options.batchSize ?? 1000;
    this.maxSleepMs = options.maxSleepMs ?? 1000;
    this.loop = new DueLoop(options, {
      name: 'alert scheduler',
      errorPauseMs: this.maxSleepMs,
      minSleepMs: 1,
      turn: async () => {
        await this.runDue();
        return Math.min((await this.nextWake()) ?? Infinity, this.clock.now() + this.maxSleepMs);
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops after the work in progress is finished. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * A deadline at `at` exists (a ping moved one): wake up for it if it is earlier than planned.
   * A moment already past means a state change was just written (ingestion announces its flips
   * so): delivery looks at once too, for the notifications written with it.
   */
  wake(at: number): void {
    this.loop.wake(at);
    if (at <= this.clock.now()) this.options.onQueued?.();
  }

  /** Handles everything due now: missed deadlines, reminders, flips without notifications. */
  async runDue(): Promise<RunSummary> {
    const summary: RunSummary = { down: 0, reminders: 0, flipsAnnounced: 0, notifications: 0 };
    while ((await this.deadlineBatch(summary)) === this.batchSize) await letOthersIn();
    while ((await this.reminderBatch(summary)) === this.batchSize) await letOthersIn();
    while ((await this.flipBatch(summary)) === this.batchSize) await letOthersIn();
    return summary;
  }

  private async nextWake(): Promise<number | null> {
    const [deadline, reminder] = await Promise.all([nextDeadline(this.store.db), nextReminderDue(this.store.db)]);
    if (deadline === null) return reminder;
    return reminder === null ? deadline : Math.min(deadline, reminder);
  }

  private queued(count: number, summary: RunSummary): void {
    summary.notifications += count;
    if (count > 0) this.options.onQueued?.();
  }

  private outcomeOf(row: DueDeadline, now: number): DeadlineOutcome | null {
    try {
      return evaluateDeadline(checkTimingOf(row), row.alert_on_stuck === 1, now);
    } catch (error) {
      this.options.logger.warn({ err: error, checkId: row.id }, 'cannot compute when the check is due; trying again in an hour');
      return null;
    }
  }

  /** One transaction: the earliest due deadlines, each either down or moved on. */
  private async deadlineBatch(summary: RunSummary): Promise<number> {
    const now = this.clock.now();
    const { claimed, notifications, down } = await this.store.db.transaction().execute(async (trx) => {
      const due = await claimDueDeadlines(trx, this.store, now, this.batchSize);
      const missed: MissedDeadline[] = [];
      const moved: { id: number; seen: number; next: number | null }[] = [];
      for (const row of due) {
        const outcome = this.outcomeOf(row, now);
        if (outcome?.kind === 'down') {
          missed.push({ id: row.id, rules: row, status: row.status, seen: row.alert_after, at: outcome.at, reason: outcome.reason });
        } else {
          // A schedule that can't be computed is tried again in an hour instead of every turn.
          const next = outcome === null || (outcome.alertAfter !== null && outcome.alertAfter <= now) ? now + HOUR : outcome.alertAfter;
          moved.push({ id: row.id, seen: row.alert_after, next });
        }
      }
      await rescheduleDeadlines(trx, this.store.dialect, moved);
      return { claimed: due.length, ...(await markChecksDown(trx, this.store.dialect, missed, now)) };
    });
    summary.down += down;
    this.queued(notifications, summary);
    return claimed;
  }

  private async reminderBatch(summary: RunSummary): Promise<number> {
    const now = this.clock.now();
    const { claimed, notifications } = await this.store.db.transaction().execute(async (trx) => {
      const due = await claimDueReminders(trx, this.store.dialect, now, this.batchSize);
      return { claimed: due.length, notifications: await queueReminders(trx, this.store.dialect, due, now) };
    });
    summary.reminders += notifications;
    this.queued(notifications, summary);
    return claimed;
  }

  private async flipBatch(summary: RunSummary): Promise<number> {
    const now = this.clock.now();
    const result = await this.store.db
      .transaction()
      .execute((trx) => announceUnprocessedFlips(trx, this.store.dialect, now, this.batchSize));
    summary.flipsAnnounced += result.flips;
    this.queued(result.notifications, summary);
    return result.flips;
  }
}
