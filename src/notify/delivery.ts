// Delivery workers: claim due notifications from the outbox under a lease, send them with a
// per-attempt timeout, and record the outcome. Claims are large (up to a thousand rows, one
// statement and a few batched reads) and results are recorded in batches, so that a burst costs a
// few statements per thousand notifications. Claimed rows wait in a lane per channel: sends run
// concurrently, no channel may take more than its share of them, and a channel keeps only about as
// many rows as it took in the last two seconds (the rest is given back at once), so one slow or
// dead destination never holds up the others nor sits on rows another worker could send.
// The sends themselves go through a sender (sender.ts): on this thread, or, in the server, on a
// thread of its own that queues them and keeps to the same shares.
// A process that dies mid-send leaves its rows to come due again when their lease ends
// (at-least-once); a row that was recorded as sent is never claimed again.
import crypto from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { ChannelDefinition, GroupMember } from '../channels/types.js';
import { TransportError } from '../channels/types.js';
import type { Clock, Sleep } from '../clock.js';
import { findChannelsByIds, findGroupMembers, saveCorrectedConfig } from '../store/channels.js';
import type { Store } from '../store/database.js';
import type { AlertSubject, AttemptOutcome, AttemptResult, ClaimedNotification, LastPing } from '../store/notifications.js';
import {
  claimDueNotifications,
  lastPingKey,
  lastPingsAtOrBefore,
  loadAlertSubjects,
  nextNotificationDue,
  recordAttemptResults,
} from '../store/notifications.js';
import type { ChannelRow } from '../store/schema.js';
import type { ContextSources } from './alert-context.js';
import { BatchWriter } from './batch-writer.js';
import { DueLoop } from './due-loop.js';
import type { RateLimit } from './rate-limiter.js';
import { DEFAULT_RATE_LIMITS, RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_DELAYS_MS, nextAttemptAt } from './retry-policy.js';
import type { ChannelRegistry, SendTools } from './send.js';
import { AttemptDeadlines, ChannelConfigs } from './send.js';
import type { AlertSender, SendLimits } from './sender.js';
import { InProcessSender } from './sender.js';

export interface DeliveryOptions {
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  registry: ChannelRegistry;
  tools: SendTools;
  context: ContextSources;
  /** Where sends run; by default on this thread, with `tools` and `context`. */
  sender?: AlertSender;
  sleep?: Sleep;
  /** Names this process in the attempt log. */
  workerId?: string;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Sends in flight to one channel. */
  perChannel?: number;
  /** Rows taken from the outbox by one claim. */
  claimSize?: number;
  attemptTimeoutMs?: number;
  /** How long a claim holds its rows; longer than an attempt can take. */
  leaseMs?: number;
  retryDelaysMs?: readonly number[];
  /** Longest sleep between looks at the outbox (rows other processes queued). */
  pollMs?: number;
  rateLimits?: Readonly<Record<string, RateLimit>>;
}

interface Claimed {
  row: ClaimedNotification;
  token: string;
  /** After this moment the row is not started any more (its lease could end mid-attempt). */
  startBy: number;
  channel: ChannelRow | undefined;
  subject: AlertSubject | undefined;
  lastPing: LastPing | undefined;
  /** For a channel that sends through others (a group): those channels, as the claim found them. */
  members: GroupMember[] | null;
}

/** A claimed row not attempted, handed back due at once (its attempt not counted) for whoever claims it next. */
function givenBack(claimed: Claimed, worker: string, now: number): AttemptResult {
  return {
    notificationId: claimed.row.id,
    channelId: claimed.row.channel_id,
    token: claimed.token,
    worker,
    started: now,
    duration: 0,
    outcome: { kind: 'deferred', nextAttemptAt: now },
  };
}

/**
 * Claims' worth of rows a sender that queues (on a thread of its own) is handed beyond what is in
 * flight. In a burst this thread writes a batch of flips for tens of milliseconds between claims;
 * with one claim in reserve the sender ran dry in that time and the machine sat idle, and with
 * three the 100,000-alert spike finished about 6% sooner (two: 2%, four: no better than three).
 * Rows sent on this thread wait for a slot here anyway, so it keeps one claim's worth.
 */
const CLAIMS_QUEUED_AHEAD = 3;

/** Length of the window over which a channel's pace is measured. */
const PACE_WINDOW_MS = 1_000;

/** One channel's rows in this worker: sends in flight, claimed rows waiting, and its recent pace. */
class Lane {
  active = 0;
  readonly waiting: Claimed[] = [];
  /** Skipped by claims until half of what it holds is done. */
  saturated = false;
  private windowStart = performance.now();
  private doneInWindow = 0;
  private doneInLastWindow = 0;

  get held(): number {
    return this.active + this.waiting.length;
  }

  /** Counts a notification the destination took (failures and give-backs say nothing of its pace). */
  sent(): void {
    this.roll();
    this.doneInWindow++;
  }

  /** Took nothing in the last two windows. */
  idle(): boolean {
    this.roll();
    return this.doneInWindow === 0 && this.doneInLastWindow === 0;
  }

  /**
   * Rows worth holding: about two windows' worth of what it took lately, and never less than a
   * full set of sends. A fast destination gets large claims; a slow or dead one holds only what
   * it is sending. The current window counts at its pace so far, so that a burst's first claims
   * are not trimmed to a handful.
   */
  holdLimit(perChannel: number): number {
    this.roll();
    const elapsed = Math.max(performance.now() - this.windowStart, PACE_WINDOW_MS / 10);
    const current = (this.doneInWindow * PACE_WINDOW_MS) / elapsed;
    return Math.max(perChannel, Math.ceil(2 * Math.max(current, this.doneInLastWindow)));
  }

  private roll(): void {
    const now = performance.now();
    const elapsed = now - this.windowStart;
    if (elapsed < PACE_WINDOW_MS) return;
    this.doneInLastWindow = elapsed < 2 * PACE_WINDOW_MS ? this.doneInWindow : 0;
    this.doneInWindow = 0;
    this.windowStart = now;
  }
}

export class DeliveryWorkers {
  private readonly clock: Clock;
  private readonly workerId: string;
  private readonly concurrency: number;
  private readonly perChannel: number;
  private readonly claimSize: number;
  /** Rows this worker holds at most (in flight and waiting in lanes). */
  private readonly maxHeld: number;
  private readonly attemptTimeoutMs: number;
  private readonly leaseMs: number;
  /** How long a claimed row may wait in its lane before its lease is too short for an attempt. */
  private readonly maxWaitMs: number;
  private readonly retryDelays: readonly number[];
  private readonly pollMs: number;
  private readonly limiter: RateLimiter;
  private readonly results: BatchWriter<AttemptResult>;
  private readonly loop: DueLoop;
  private readonly lanes = new Map<number, Lane>();
  /** Lanes with rows waiting, the longest-served last. */
  private readonly ready = new Set<Lane>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly finishWaiters: (() => void)[] = [];
  private readonly configs = new ChannelConfigs();
  private readonly sender: AlertSender;
  private readonly limits: SendLimits;
  /** Sends handed to the sender at once, per channel and in all (see AlertSender.queues). */
  private readonly launchPerChannel: number;
  private readonly launchTotal: number;
  private held = 0;
  /** Stopping: nothing more is started. */
  private stopping = false;
  /** Rows given back so far (a count, to tell whether any became due again). */
  private givenBack = 0;
  private activeTotal = 0;
  private claims = 0;
  /**
   * Sets of left-out channels with which a claim found nothing. Until new rows are announced
   * (nudge) or the next look falls due, a claim leaving out the same channels would find nothing
   * either, and would cost a scan past every row of those channels.
   */
  private readonly emptySkips = new Set<string>();
  private emptySkipsUntil = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly options: DeliveryOptions,
  ) {
    this.clock = options.clock;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
    this.concurrency = options.concurrency ?? 256;
    this.perChannel = Math.min(options.perChannel ?? 64, this.concurrency);
    this.claimSize = options.claimSize ?? 1000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.sender = options.sender ?? new InProcessSender(this.clock, options.tools, options.context, new AttemptDeadlines(this.attemptTimeoutMs));
    this.maxHeld = this.concurrency + this.claimSize * (this.sender.queues ? CLAIMS_QUEUED_AHEAD : 1);
    this.limits = { perChannel: this.perChannel, total: this.concurrency };
    this.launchPerChannel = this.sender.queues ? Infinity : this.perChannel;
    this.launchTotal = this.sender.queues ? Infinity : this.concurrency;
    this.leaseMs = options.leaseMs ?? 2 * this.attemptTimeoutMs;
    // With the default lease of two attempts, half an attempt's time: the attempt and the writing
    // of its result still fit in the lease with time to spare.
    this.maxWaitMs = Math.max(this.leaseMs - 1.5 * this.attemptTimeoutMs, this.leaseMs / 4);
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.pollMs = options.pollMs ?? 500;
    this.limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
    this.results = new BatchWriter({
      write: (batch) => this.writeResults(batch),
      onError: (error) => this.options.logger.error({ err: error }, 'could not record deliveries'),
      maxBatch: 1000,
      intervalMs: 20,
    });
    this.loop = new DueLoop(options, {
      name: 'notification delivery',
      errorPauseMs: this.pollMs,
      turn: () => this.turn(),
    });
  }

  start(): void {
    this.sender.open();
    this.loop.start();
  }

  /** Stops claiming, gives back the rows not started yet, lets the sends in flight finish and records them. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.giveBackWaiting();
    await this.loop.stop();
    // What a claim in progress brought.
    this.giveBackWaiting();
    // A sender that queues hands back what it has not started before the rest is waited for.
    await this.sender.close();
    await this.settle();
    this.stopping = false;
  }

  private giveBackWaiting(): void {
    const now = this.clock.now();
    for (const [channelId, lane] of this.lanes) {
      for (const claimed of lane.waiting.splice(0)) {
        this.held--;
        this.giveBack(claimed, now);
      }
      if (lane.held === 0) this.lanes.delete(channelId);
    }
    this.ready.clear();
  }

  /** New notifications were queued: look at the outbox now. */
  nudge(): void {
    this.emptySkips.clear();
    this.loop.wake();
  }

  /** Delivers everything due now and records it (tests and tools; the loop does this itself). */
  async runDue(): Promise<number> {
    this.emptySkips.clear();
    let total = 0;
    let givenBackBefore = this.givenBack;
    for (;;) {
      const skipped = this.skipKey(this.clock.now());
      const claimed = this.hasRoom() ? await this.claim() : 0;
      total += claimed;
      if (claimed > 0 && this.hasRoom()) continue;
      if (this.held > 0) {
        await this.nextFinish();
      } else if (claimed === 0 && skipped === this.skipKey(this.clock.now())) {
        // Done when a claim that left out no channel it could take now found nothing, unless rows
        // were given back meanwhile: once written, they are due again.
        await this.results.drain();
        if (this.givenBack === givenBackBefore) break;
        givenBackBefore = this.givenBack;
      }
    }
    await this.settle();
    return total;
  }

  /** Resolves when the next send in flight is over. */
  private nextFinish(): Promise<void> {
    return new Promise<void>((resolve) => this.finishWaiters.push(resolve));
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    await this.results.drain();
  }

  private room(): number {
    return Math.max(0, Math.min(this.claimSize, this.maxHeld - this.held));
  }

  /** Claims stay large: with less room than half a claim, finished sends make room first. */
  private hasRoom(): boolean {
    return this.room() >= this.claimSize / 2;
  }

  /** One turn of the loop: claims what there is room for; returns when to look again. */
  private async turn(): Promise<number> {
    const now = this.clock.now();
    if (now >= this.emptySkipsUntil) this.emptySkips.clear();
    // Finished sends wake the loop once there is room.
    if (!this.hasRoom()) return now + this.pollMs;
    const limit = this.room();
    const claimed = await this.claim();
    if (claimed === limit) return now;
    let wakeAt = now + this.pollMs;
    const due = await nextNotificationDue(this.store.db);
    // Rows due already but not claimed belong to busy channels: a finished send wakes us.
    if (due !== null && due > now) wakeAt = Math.min(wakeAt, due);
    wakeAt = Math.min(wakeAt, this.limiter.nextRefill(now) ?? Infinity);
    this.emptySkipsUntil = wakeAt;
    return wakeAt;
  }

  /** Claims what this worker has room for and starts sending it; returns how many rows. */
  private async claim(): Promise<number> {
    const limit = this.room();
    if (limit === 0) return 0;
    const now = this.clock.now();
    const skipChannels = this.skippedChannels(now);
    const skipKey = skipChannels.join(',');
    if (this.emptySkips.has(skipKey)) return 0;
    const token = `${this.workerId}:${++this.claims}`;
    const rows = await claimDueNotifications(this.store, { now, limit, leaseMs: this.leaseMs, token, skipChannels });
    if (rows.length === 0) {
      this.emptySkips.add(skipKey);
      return 0;
    }
    const db = this.store.db;
    const channels = await findChannelsByIds(db, [...new Set(rows.map((r) => r.channel_id))]);
    const channelById = new Map(channels.map((c) => [c.id, c]));
    const showingChecks = this.channelsShowingChecks(channels);
    const withView = new Set(rows.flatMap((r) => (r.check_id !== null && showingChecks.has(r.channel_id) ? [r.check_id] : [])));
    const [subjects, pings] = await Promise.all([
      loadAlertSubjects(
        this.store,
        rows.flatMap((r) => (r.check_id === null ? [] : [r.check_id])),
        withView,
      ),
      lastPingsAtOrBefore(db, rows.flatMap((r) => (r.check_id === null ? [] : [{ checkId: r.check_id, at: r.event_at }]))),
    ]);
    const members = await this.groupMembers(channels);
    const startBy = now + this.maxWaitMs;
    for (const row of rows) {
      const checkId = row.check_id;
      this.enqueue({
        row,
        token,
        startBy,
        channel: channelById.get(row.channel_id),
        subject: checkId === null ? undefined : subjects.get(checkId),
        lastPing: checkId === null ? undefined : pings.get(lastPingKey(checkId, row.event_at)),
        members: members.get(row.channel_id) ?? null,
      });
    }
    // Trimmed before anything starts: a sender that queues is handed every row a lane keeps.
    this.trimLanes(now);
    this.pump();
    return rows.length;
  }

  /**
   * A claimed channel's definition and configuration, for what the claim reads ahead; null for
   * an unknown kind or a configuration that no longer validates (the attempt itself fails then).
   */
  private configured(channel: ChannelRow): { definition: ChannelDefinition; config: unknown } | null {
    const definition = this.options.registry.get(channel.kind);
    if (!definition) return null;
    try {
      return { definition, config: this.configs.get(channel, definition) };
    } catch {
      return null;
    }
  }

  /** The channels among these whose messages may show the whole check (see showsCheckJson). */
  private channelsShowingChecks(channels: ChannelRow[]): Set<number> {
    const out = new Set<number>();
    for (const channel of channels) {
      const configured = this.configured(channel);
      if (configured?.definition.showsCheckJson?.(configured.config)) out.add(channel.id);
    }
    return out;
  }

  /** The members of the group channels among these, once per claim rather than once per send. */
  private async groupMembers(channels: ChannelRow[]): Promise<Map<number, GroupMember[]>> {
    const out = new Map<number, GroupMember[]>();
    for (const channel of channels) {
      const configured = this.configured(channel);
      const codes = configured?.definition.members?.(configured.config);
      if (codes) out.set(channel.id, await findGroupMembers(this.store.db, channel.project_id, codes));
    }
    return out;
  }

  /**
   * Gives back what a claim brought a channel beyond what it takes in about two seconds: a dead
   * destination holds only its sends in flight, and the rows of every other channel stay free to
   * be claimed. A lane at its limit is left out of claims until half of it is done.
   */
  private trimLanes(now: number): void {
    for (const [channelId, lane] of this.lanes) {
      // An empty lane is kept while it remembers its channel's pace.
      if (lane.held === 0 && lane.idle()) {
        this.lanes.delete(channelId);
        continue;
      }
      const limit = lane.holdLimit(this.perChannel);
      while (lane.held > limit && lane.waiting.length > 0) {
        this.held--;
        this.giveBack(lane.waiting.pop() as Claimed, now);
      }
      if (lane.waiting.length === 0) this.ready.delete(lane);
      if (lane.held >= limit) lane.saturated = true;
    }
  }

  private skipKey(now: number): string {
    return this.skippedChannels(now).join(',');
  }

  /** Channels this worker can't take more rows for right now: it holds enough, or they are out of rate. */
  private skippedChannels(now: number): number[] {
    const skipped = new Set(this.limiter.exhausted(now));
    for (const [channelId, lane] of this.lanes) if (lane.saturated) skipped.add(channelId);
    return [...skipped].sort((a, b) => a - b);
  }

  private enqueue(claimed: Claimed): void {
    const channelId = claimed.row.channel_id;
    let lane = this.lanes.get(channelId);
    if (!lane) {
      lane = new Lane();
      this.lanes.set(channelId, lane);
    }
    lane.waiting.push(claimed);
    this.ready.add(lane);
    this.held++;
  }

  /** Starts waiting rows while there are free slots, taking turns between channels. */
  private pump(): void {
    if (this.stopping) return;
    for (const lane of [...this.ready]) {
      if (this.activeTotal >= this.launchTotal) return;
      while (lane.active < this.launchPerChannel && this.activeTotal < this.launchTotal) {
        const next = lane.waiting.shift();
        if (!next) break;
        this.launch(lane, next);
      }
      this.ready.delete(lane);
      // A channel with rows left goes to the back of the queue.
      if (lane.waiting.length > 0) this.ready.add(lane);
    }
  }

  private launch(lane: Lane, claimed: Claimed): void {
    lane.active++;
    this.activeTotal++;
    const work: Promise<void> = this.attempt(claimed)
      .then(
        (result) => {
          // The slot is free once the attempt is over; its result is written with others.
          this.results.add(result);
          return result.outcome.kind === 'sent';
        },
        (error: unknown) => {
          // Left to its lease: the row comes due again when the lease ends.
          this.options.logger.error({ err: error }, 'a delivery attempt failed unexpectedly');
          return false;
        },
      )
      .then((sent) => {
        this.inFlight.delete(work);
        this.finished(lane, sent);
      });
    this.inFlight.add(work);
  }

  private finished(lane: Lane, sent: boolean): void {
    lane.active--;
    this.activeTotal--;
    this.held--;
    if (sent) lane.sent();
    for (const wake of this.finishWaiters.splice(0)) wake();
    if (lane.held === 0) this.ready.delete(lane);
    this.pump();
    // Claim more once half a claim's worth of room is free, or once a busy channel is half done.
    const channelFreed = lane.saturated && lane.held <= lane.holdLimit(this.perChannel) / 2;
    if (channelFreed) lane.saturated = false;
    if (channelFreed || this.maxHeld - this.held === Math.ceil(this.claimSize / 2)) this.loop.wake();
  }

  private giveBack(claimed: Claimed, now: number): void {
    this.results.add(this.untried(claimed, now));
  }

  /** The result of a row given back untried, counted so that runDue looks again. */
  private untried(claimed: Claimed, now: number): AttemptResult {
    this.givenBack++;
    return givenBack(claimed, this.workerId, now);
  }

  /**
   * Sends one claimed row, unless its lease ran too short while it waited (here, or in a sender
   * that queues), or records why it is not sent.
   */
  private async attempt(claimed: Claimed): Promise<AttemptResult> {
    const { row, channel, subject, lastPing, members } = claimed;
    const now = this.clock.now();
    const result = (outcome: AttemptOutcome, started = now, duration = 0): AttemptResult => ({
      notificationId: row.id,
      channelId: row.channel_id,
      token: claimed.token,
      worker: this.workerId,
      started,
      duration,
      outcome,
    });
    if (now > claimed.startBy) return this.untried(claimed, now);
    if (!channel || channel.disabled === 1) return result({ kind: 'dropped', error: 'The channel is disabled' });
    if (!subject) return result({ kind: 'dropped', error: 'The check does not exist any more' });
    const definition = this.options.registry.get(channel.kind);
    if (!definition) return result({ kind: 'dropped', error: `Unknown channel kind "${channel.kind}"` });
    let config: unknown;
    try {
      config = this.configs.get(channel, definition);
    } catch (error) {
      return result({ kind: 'failed', error: (error as Error).message, permanent: error instanceof TransportError && error.permanent });
    }
    if (definition.isNoop(config, row.status)) return result({ kind: 'dropped', error: `The channel sends nothing for "${row.status}"` });
    if (!this.limiter.take(channel.id, channel.kind, now)) {
      return result({ kind: 'deferred', nextAttemptAt: this.limiter.availableAt(channel.id, channel.kind, now) });
    }
    const job = { channel, definition, config, subject, event: row, lastPing, members, now, startBy: claimed.startBy, limits: this.limits };
    const report = await this.sender.send(job);
    if (report.started === null) return this.untried(claimed, this.clock.now());
    if (report.corrected !== undefined) await this.saveCorrected(channel, report.corrected);
    const { error, started, duration } = report;
    if (error === null) return result({ kind: 'sent' }, started, duration);
    if (error.permanent) return result({ kind: 'failed', error: error.message, permanent: true }, started, duration);
    const retryAt = nextAttemptAt(row.attempts, this.clock.now(), this.retryDelays);
    if (retryAt === null) return result({ kind: 'failed', error: error.message, permanent: false }, started, duration);
    return result({ kind: 'retry', nextAttemptAt: retryAt, error: error.message }, started, duration);
  }

  /** Stores a configuration the integration corrected; the send went through either way. */
  private async saveCorrected(channel: ChannelRow, corrected: unknown): Promise<void> {
    try {
      await saveCorrectedConfig(this.store.db, channel.id, channel.value, JSON.stringify(corrected));
    } catch (error) {
      this.options.logger.warn({ err: error, channelId: channel.id }, 'could not store the corrected channel configuration');
    }
  }

  private async writeResults(batch: AttemptResult[]): Promise<void> {
    const changed = await this.store.db.transaction().execute((trx) => recordAttemptResults(trx, this.store, batch));
    if (changed.size < batch.length) {
      this.options.logger.warn(
        { lost: batch.length - changed.size },
        'delivery results not recorded: the claim ended before they were (another worker may deliver again) or the notification was deleted',
      );
    }
    // Rows given back are due again: look at the outbox (a claim may have found them still held).
    if (batch.some((result) => result.outcome.kind === 'deferred' && result.outcome.nextAttemptAt <= result.started)) this.nudge();
  }
}
