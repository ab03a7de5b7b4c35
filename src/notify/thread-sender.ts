// Sends on a thread of their own. In a burst of alerts (the top of the hour), the HTTP requests cost
// the delivery workers' thread as much CPU as writing the flips, claiming the notifications and
// recording their results together; here they run beside that work, on another core.
// The workers hand over every row a lane keeps, not just as many as may be in flight: the thread
// queues them per channel and keeps to the limits itself, so that it starts the next send the
// moment one ends instead of waiting for the workers' thread, which may be busy writing a batch
// of flips. Sends handed over in the same turn of the event loop cross as one message; results
// come back the same way.
import type { Worker } from 'node:worker_threads';
import { TransportError } from '../channels/types.js';
import { siblingModule, spawnModuleWorker } from '../module-worker.js';
import type { GroupMember } from '../channels/types.js';
import type { LastPing } from '../store/notifications.js';
import type { WireEvent, WireSubject } from './job-wire.js';
import { eventToWire, subjectToWire } from './job-wire.js';
import type { AlertSender, SendJob, SendLimits, SendReport } from './sender.js';

/** What the sender thread needs to know of the deployment. */
export interface SenderThreadSetup {
  /** Integration settings from the environment (pickIntegrationSettings). */
  settings: Record<string, string | undefined>;
  attemptTimeoutMs: number;
  site: { name: string; root: string };
  pingEndpoint: string;
}

/** One send as it crosses: id, channel, configuration as stored, and what to tell it. */
export type WireJob = [
  id: number,
  kind: string,
  channelId: number,
  value: string,
  subject: WireSubject,
  event: WireEvent,
  lastPing: LastPing | null,
  members: GroupMember[] | null,
  now: number,
  startBy: number,
];

/**
 * What became of a send: started (epoch ms; null when it could not start in time), duration, for
 * a failure the TransportError's message and whether it is permanent, and a corrected
 * configuration (undefined when none).
 */
export type WireResult = [
  id: number,
  started: number | null,
  duration: number,
  error: string | null,
  permanent: boolean,
  corrected: unknown,
];

export type ToSenderThread = { kind: 'send'; limits: SendLimits; jobs: WireJob[] } | { kind: 'close' };
export interface FromSenderThread {
  results: WireResult[];
}

interface SenderThread {
  worker: Worker;
  pending: Map<number, (report: SendReport) => void>;
}

export class ThreadSender implements AlertSender {
  readonly queues = true;
  private thread: SenderThread | null = null;
  private outbox: WireJob[] = [];
  private limits: SendLimits | null = null;
  private nextId = 1;

  constructor(private readonly setup: SenderThreadSetup) {}

  /** Starts the thread now rather than on the first send (loading it takes a moment). */
  open(): void {
    this.thread ??= this.start();
  }

  send(job: SendJob): Promise<SendReport> {
    const thread = this.thread ?? this.start();
    const id = this.nextId++;
    if (this.outbox.length === 0) setImmediate(() => this.flush());
    this.limits = job.limits;
    this.outbox.push([
      id,
      job.channel.kind,
      job.channel.id,
      job.channel.value,
      subjectToWire(job.subject),
      eventToWire(job.event),
      job.lastPing ?? null,
      job.members,
      job.now,
      job.startBy,
    ]);
    return new Promise<SendReport>((resolve) => thread.pending.set(id, resolve));
  }

  /** Lets the thread finish the sends it was given, then ends it. */
  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.flush();
    this.thread = null;
    const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
    thread.worker.postMessage({ kind: 'close' } satisfies ToSenderThread);
    await exited;
  }

  /** Hands this turn's sends to the thread (the outbox only ever holds the current thread's). */
  private flush(): void {
    const thread = this.thread;
    if (thread === null || this.limits === null || this.outbox.length === 0) return;
    const jobs = this.outbox;
    this.outbox = [];
    try {
      thread.worker.postMessage({ kind: 'send', limits: this.limits, jobs } satisfies ToSenderThread);
    } catch (error) {
      // A value that cannot cross (it never should) fails these sends, not the process.
      const failed = new TransportError(`Could not hand the send to the delivery thread: ${(error as Error).message}`);
      for (const [id] of jobs) {
        thread.pending.get(id)?.({ started: Date.now(), duration: 0, error: failed });
        thread.pending.delete(id);
      }
    }
  }

  private start(): SenderThread {
    const worker = spawnModuleWorker(siblingModule(import.meta.url, 'sender-thread'), this.setup);
    const thread: SenderThread = { worker, pending: new Map() };
    worker.on('message', (reply: FromSenderThread) => settle(thread, reply));
    worker.on('error', (error) => this.lost(thread, error));
    worker.on('exit', (code) => this.lost(thread, new Error(`exit code ${code}`)));
    this.thread = thread;
    return thread;
  }

  /**
   * The thread is gone: its sends count as failed attempts (retried later; one may have reached
   * its destination), and the next send starts a new thread.
   */
  private lost(thread: SenderThread, error: Error): void {
    if (this.thread === thread) {
      this.thread = null;
      this.outbox = [];
    }
    const failed = new TransportError(`The delivery thread stopped: ${error.message}`);
    for (const resolve of thread.pending.values()) resolve({ started: Date.now(), duration: 0, error: failed });
    thread.pending.clear();
  }
}

function settle(thread: SenderThread, reply: FromSenderThread): void {
  for (const [id, started, duration, error, permanent, corrected] of reply.results) {
    const resolve = thread.pending.get(id);
    if (!resolve) continue;
    thread.pending.delete(id);
    const report: SendReport = { started, duration, error: error === null ? null : new TransportError(error, permanent) };
    if (corrected !== undefined) report.corrected = corrected;
    resolve(report);
  }
}
