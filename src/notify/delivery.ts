// Delivery workers: claim due notifications from the outbox under a lease, send them with a
// per-attempt timeout, and record the outcome. Sends run concurrently, and no channel may take
// more than its share of the slots, so one slow or dead destination never holds up the others.
// A process that dies mid-send leaves its rows to come due again when their lease ends
// (at-least-once); a row that was recorded as sent is never claimed again.
import crypto from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { ChannelDefinition } from '../channels/types.js';
import { TransportError } from '../channels/types.js';
import type { Clock, Sleep } from '../clock.js';
import { systemSleep } from '../clock.js';
import { GroupCommitQueue } from '../ingest/group-commit.js';
import { findChannelsByIds } from '../store/channels.js';
import type { Store } from '../store/database.js';
import type { AlertSubject, AttemptOutcome, AttemptResult, LastPing } from '../store/notifications.js';
import {
  claimDueNotifications,
  lastPingKey,
  lastPingsAtOrBefore,
  loadAlertSubjects,
  nextNotificationDue,
  recordAttemptResults,
} from '../store/notifications.js';
import type { ChannelRow, NotificationRow } from '../store/schema.js';
import type { ContextSources } from './alert-context.js';
import { buildAlertContext } from './alert-context.js';
import type { RateLimit } from './rate-limiter.js';
import { DEFAULT_RATE_LIMITS, RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_DELAYS_MS, nextAttemptAt } from './retry-policy.js';
import type { ChannelRegistry, SendTools } from './send.js';
import { parseStoredConfig, sendWithTimeout } from './send.js';

export interface DeliveryOptions {
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  registry: ChannelRegistry;
  tools: SendTools;
  context: ContextSources;
  sleep?: Sleep;
  /** Names this process in the attempt log. */
  workerId?: string;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Sends in flight to one channel (a claim may overshoot it by less than one claim's size). */
  perChannel?: number;
  attemptTimeoutMs?: number;
  /** How long a claim holds its rows; longer than an attempt can take. */
  leaseMs?: number;
  retryDelaysMs?: readonly number[];
  /** Longest sleep between looks at the outbox (rows other processes queued). */
  pollMs?: number;
  rateLimits?: Readonly<Record<string, RateLimit>>;
}

interface Claimed {
  row: NotificationRow;
  token: string;
  channel: ChannelRow | undefined;
  subject: AlertSubject | undefined;
  lastPing: LastPing | undefined;
}

export class DeliveryWorkers {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly workerId: string;
  private readonly concurrency: number;
  private readonly perChannel: number;
  private readonly attemptTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly retryDelays: readonly number[];
  private readonly pollMs: number;
  private readonly limiter: RateLimiter;
  private readonly results: GroupCommitQueue<AttemptResult, void>;
  private readonly active = new Map<number, number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Channels at their share of the slots; claimable again once half their sends are done. */
  private readonly saturated = new Set<number>();
  /** Parsed configurations by channel, while the stored value stays the same. */
  private readonly configs = new Map<number, { kind: string; value: string; config: unknown }>();
  private activeTotal = 0;
  private claims = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private sleeping: AbortController | null = null;
  /**
   * Sets of left-out channels with which a claim found nothing. Until new rows are announced
   * (nudge) or the poll interval passes, a claim leaving out the same channels would find nothing
   * either, and would cost a scan past every row of those channels.
   */
  private readonly emptySkips = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly options: DeliveryOptions,
  ) {
    this.clock = options.clock;
    this.sleep = options.sleep ?? systemSleep;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
    this.concurrency = options.concurrency ?? 256;
    this.perChannel = Math.min(options.perChannel ?? 64, this.concurrency);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 2 * this.attemptTimeoutMs;
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.pollMs = options.pollMs ?? 500;
    this.limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
    this.results = new GroupCommitQueue((batch) => this.writeResults(batch), {
      flushMs: 2,
      maxBatch: 500,
      concurrency: 1,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming, lets the sends in flight finish and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeping?.abort();
    await this.loop;
    this.loop = null;
    await this.settle();
  }

  /** New notifications were queued: look at the outbox now. */
  nudge(): void {
    this.emptySkips.clear();
    this.sleeping?.abort();
  }

  /** Delivers everything due now and records it (tests and tools; the loop does this itself). */
  async runDue(): Promise<number> {
    this.emptySkips.clear();
    let total = 0;
    for (;;) {
      const claimed = await this.claimAndSend();
      total += claimed;
      if (claimed === 0 && this.activeTotal === 0) break;
      await Promise.race(this.inFlight);
    }
    await this.settle();
    return total;
  }

  private async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.results.drain();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const sleeping = new AbortController();
      this.sleeping = sleeping;
      let claimed = 0;
      let wakeAt = this.clock.now() + this.pollMs;
      try {
        claimed = await this.claimAndSend();
        if (claimed === 0 && this.activeTotal < this.concurrency) {
          const due = await nextNotificationDue(this.store.db);
          // Rows due already but not claimed belong to busy channels: a finished send wakes us.
          if (due !== null && due > this.clock.now()) wakeAt = Math.min(wakeAt, due);
          wakeAt = Math.min(wakeAt, this.limiter.nextRefill(this.clock.now()) ?? Infinity);
        }
      } catch (error) {
        this.options.logger.error({ err: error }, 'notification delivery failed; retrying');
      }
      if (!this.running) break;
      if (claimed > 0 && this.activeTotal < this.concurrency) continue;
      // Woken early by a nudge or a finished send (which may have happened already), or at wakeAt.
      await this.sleep(Math.max(wakeAt - this.clock.now(), 1), sleeping.signal);
      if (!sleeping.signal.aborted) this.emptySkips.clear();
      this.sleeping = null;
    }
  }

  /** Claims what this process may send now and starts sending it; returns how many rows. */
  private async claimAndSend(): Promise<number> {
    const free = this.concurrency - this.activeTotal;
    if (free <= 0) return 0;
    const now = this.clock.now();
    const skipChannels = [...new Set([...this.saturated, ...this.limiter.exhausted(now)])].sort((a, b) => a - b);
    const skipKey = skipChannels.join(',');
    if (this.emptySkips.has(skipKey)) return 0;
    const token = `${this.workerId}:${++this.claims}`;
    const rows = await claimDueNotifications(this.store.db, this.store.dialect, {
      now,
      limit: Math.min(free, this.perChannel),
      leaseMs: this.leaseMs,
      token,
      skipChannels,
    });
    if (rows.length === 0) {
      this.emptySkips.add(skipKey);
      return 0;
    }
    const db = this.store.db;
    const [channels, subjects, pings] = await Promise.all([
      findChannelsByIds(db, [...new Set(rows.map((r) => r.channel_id))]),
      loadAlertSubjects(db, rows.flatMap((r) => (r.check_id === null ? [] : [r.check_id]))),
      lastPingsAtOrBefore(db, rows.flatMap((r) => (r.check_id === null ? [] : [{ checkId: r.check_id, at: r.event_at }]))),
    ]);
    const channelById = new Map(channels.map((c) => [c.id, c]));
    for (const row of rows) {
      const checkId = row.check_id;
      this.launch({
        row,
        token,
        channel: channelById.get(row.channel_id),
        subject: checkId === null ? undefined : subjects.get(checkId),
        lastPing: checkId === null ? undefined : pings.get(lastPingKey(checkId, row.event_at)),
      });
    }
    return rows.length;
  }

  private launch(claimed: Claimed): void {
    const channelId = claimed.row.channel_id;
    const count = (this.active.get(channelId) ?? 0) + 1;
    this.active.set(channelId, count);
    if (count >= this.perChannel) this.saturated.add(channelId);
    this.activeTotal++;
    const work: Promise<void> = this.deliver(claimed)
      .then((result) => this.results.submit(result))
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'could not record a delivery'))
      .finally(() => {
        const left = (this.active.get(channelId) ?? 1) - 1;
        if (left === 0) this.active.delete(channelId);
        else this.active.set(channelId, left);
        // Claiming again only once half the channel's sends are done keeps claims large.
        if (left <= this.perChannel / 2) this.saturated.delete(channelId);
        this.activeTotal--;
        this.inFlight.delete(work);
        // A slot is free: claim more.
        this.sleeping?.abort();
      });
    this.inFlight.add(work);
  }

  private async deliver({ row, token, channel, subject, lastPing }: Claimed): Promise<AttemptResult> {
    const started = this.clock.now();
    const startedAt = performance.now();
    const result = (outcome: AttemptOutcome): AttemptResult => ({
      notificationId: row.id,
      channelId: row.channel_id,
      token,
      worker: this.workerId,
      started,
      duration: Math.round(performance.now() - startedAt),
      outcome,
    });
    if (!channel || channel.disabled === 1) return result({ kind: 'dropped', error: 'The channel is disabled' });
    if (!subject) return result({ kind: 'dropped', error: 'The check does not exist any more' });
    const definition = this.options.registry.get(channel.kind);
    if (!definition) return result({ kind: 'dropped', error: `Unknown channel kind "${channel.kind}"` });
    try {
      const config = this.configOf(channel, definition);
      if (definition.isNoop(config, row.status)) {
        return result({ kind: 'dropped', error: `The channel sends nothing for "${row.status}"` });
      }
      if (!this.limiter.take(channel.id, channel.kind, started)) {
        return result({ kind: 'deferred', nextAttemptAt: this.limiter.availableAt(channel.id, channel.kind, started) });
      }
      const alert = buildAlertContext(this.options.context, subject, row, lastPing);
      await sendWithTimeout(definition, config, alert, this.options.tools, this.attemptTimeoutMs);
      return result({ kind: 'sent' });
    } catch (thrown) {
      const error = thrown instanceof TransportError ? thrown : new TransportError(String(thrown));
      if (error.permanent) return result({ kind: 'failed', error: error.message, permanent: true });
      const retryAt = nextAttemptAt(row.attempts, this.clock.now(), this.retryDelays);
      if (retryAt === null) return result({ kind: 'failed', error: error.message, permanent: false });
      return result({ kind: 'retry', nextAttemptAt: retryAt, error: error.message });
    }
  }

  private configOf(channel: ChannelRow, definition: ChannelDefinition): unknown {
    const cached = this.configs.get(channel.id);
    if (cached && cached.kind === channel.kind && cached.value === channel.value) return cached.config;
    const config = parseStoredConfig(definition, channel.value);
    this.configs.set(channel.id, { kind: channel.kind, value: channel.value, config });
    return config;
  }

  private async writeResults(batch: AttemptResult[]): Promise<void[]> {
    const changed = await this.store.db.transaction().execute((trx) => recordAttemptResults(trx, this.store.dialect, batch));
    if (changed.size < batch.length) {
      this.options.logger.warn(
        { lost: batch.length - changed.size },
        'delivery results not recorded: the claim ended before they were (another worker may deliver again) or the notification was deleted',
      );
    }
    return batch.map(() => undefined);
  }
}
