// Where the integration's part of a delivery attempt runs: rendering the message and sending it.
// The delivery workers decide what to send and record what became of it; a sender does the
// sending, either on the workers' own thread (InProcessSender) or on a thread of its own
// (ThreadSender, thread-sender.ts), which keeps the HTTP work of a burst of alerts off the thread
// that claims, records and detects.
import { performance } from 'node:perf_hooks';
import type { ChannelDefinition, GroupMember } from '../channels/types.js';
import { TransportError } from '../channels/types.js';
import type { Clock } from '../clock.js';
import type { AlertSubject, LastPing } from '../store/notifications.js';
import type { ChannelRow } from '../store/schema.js';
import type { AlertEvent, ContextSources } from './alert-context.js';
import { buildAlertContext } from './alert-context.js';
import type { AttemptDeadlines, SendTools } from './send.js';
import { engineServices, sendWithTimeout } from './send.js';

/** One attempt to send: the channel with its parsed configuration, and what to tell it. */
export interface SendJob {
  channel: Pick<ChannelRow, 'id' | 'kind' | 'value'>;
  definition: ChannelDefinition;
  config: unknown;
  subject: AlertSubject;
  event: AlertEvent;
  lastPing: LastPing | undefined;
  /** For a channel that sends through others (a group): those channels, looked up before the send. */
  members: GroupMember[] | null;
  /** When the attempt was started: a sender on another thread renders the check's JSON as of then. */
  now: number;
  /** A send not started by then is not started at all: the row's lease could end in the middle. */
  startBy: number;
  /** What a sender that queues keeps to. */
  limits: SendLimits;
}

/** Sends in flight at once. */
export interface SendLimits {
  perChannel: number;
  total: number;
}

/** What became of a send. */
export interface SendReport {
  /** When the send started (epoch ms); null when it could not start before the job's startBy. */
  started: number | null;
  /** Milliseconds. */
  duration: number;
  /** Null when the destination took the message. */
  error: TransportError | null;
  /** A configuration the integration corrected while sending (see SendEnvironment.saveConfig), to store. */
  corrected?: unknown;
}

export interface AlertSender {
  /**
   * True when the sender runs sends elsewhere and queues them, keeping to the per-channel and
   * total limits itself: the workers then hand it every row a lane keeps (about two seconds' worth
   * of what its channel takes), so that it never waits for the next one.
   */
  readonly queues: boolean;
  /** Gets ready to send, so that the first alert does not wait for a thread to start. */
  open(): void;
  /** Sends within the attempt's time limit; never rejects. */
  send(job: SendJob): Promise<SendReport>;
  /** Lets the sends in flight finish and frees what the sender holds; a later send starts afresh. */
  close(): Promise<void>;
}

/** Sends on the calling thread, as soon as it is asked to. */
export class InProcessSender implements AlertSender {
  readonly queues = false;

  constructor(
    private readonly clock: Clock,
    private readonly tools: SendTools,
    private readonly context: ContextSources,
    private readonly deadlines: AttemptDeadlines,
  ) {}

  open(): void {}

  async send(job: SendJob): Promise<SendReport> {
    const started = this.clock.now();
    if (started > job.startBy) return { started: null, duration: 0, error: null };
    const startedAt = performance.now();
    const report: SendReport = { started, duration: 0, error: null };
    try {
      const alert = buildAlertContext(this.context, job.subject, job.event, job.lastPing);
      const services = engineServices(job.members, (value) => (report.corrected = value));
      await sendWithTimeout(job.definition, job.config, alert, this.tools, this.deadlines, services);
    } catch (thrown) {
      report.error = thrown instanceof TransportError ? thrown : new TransportError(`Unexpected error: ${String(thrown)}`);
    }
    report.duration = Math.round(performance.now() - startedAt);
    return report;
  }

  async close(): Promise<void> {}
}
