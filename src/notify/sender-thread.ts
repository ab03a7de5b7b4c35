// The sender thread (see thread-sender.ts): the production integrations, an outbound HTTP client of
// its own, and the same rendering and sending the delivery workers would otherwise run. Sends wait
// in a queue per channel and start as the limits allow, channels taking turns; results are posted
// back together, once per turn of this thread's event loop.
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { outboundHttpFromSettings } from '../channels/http.js';
import { channelDefinition } from '../channels/registry.js';
import { TransportError } from '../channels/types.js';
import { checkJson } from '../http/api/healthchecks/check-json.js';
import { moduleWorkerData } from '../module-worker.js';
import type { ContextSources } from './alert-context.js';
import { buildAlertContext } from './alert-context.js';
import { eventFromWire, subjectFromWire } from './job-wire.js';
import { AttemptDeadlines, ChannelConfigs, engineServices, sendWithTimeout } from './send.js';
import type { SendLimits } from './sender.js';
import type { FromSenderThread, SenderThreadSetup, ToSenderThread, WireJob, WireResult } from './thread-sender.js';

const port = parentPort;
if (!port) throw new Error('sender-thread runs as a worker thread');

const setup = moduleWorkerData<SenderThreadSetup>();
const http = outboundHttpFromSettings(setup.settings);
const tools = { http, settings: setup.settings };
const deadlines = new AttemptDeadlines(setup.attemptTimeoutMs);
const configs = new ChannelConfigs();

/** What a message says of the check, as of the moment the workers started the attempt. */
function contextAt(now: number): ContextSources {
  return {
    site: setup.site,
    renderCheckJson: (check, channelCodes) =>
      checkJson(check, channelCodes, { siteRoot: setup.site.root, pingEndpoint: setup.pingEndpoint, version: 3, readOnly: false, now }),
  };
}

let results: WireResult[] = [];

function report(result: WireResult): void {
  if (results.length === 0) setImmediate(postResults);
  results.push(result);
}

function postResults(): void {
  const batch = results;
  results = [];
  if (batch.length > 0) port?.postMessage({ results: batch } satisfies FromSenderThread);
}

/** A send that did not start: it goes back untried. */
const notStarted = (job: WireJob): WireResult => [job[0], null, 0, null, false, undefined];

async function send(job: WireJob): Promise<void> {
  const [id, kind, channelId, value, subject, event, lastPing, members, now, startBy] = job;
  const started = Date.now();
  if (started > startBy) return report(notStarted(job));
  const startedAt = performance.now();
  let corrected: unknown;
  try {
    const definition = channelDefinition(kind);
    if (!definition) throw new TransportError(`Unknown channel kind "${kind}"`, true);
    const config = configs.get({ id: channelId, kind, value }, definition);
    const alert = buildAlertContext(contextAt(now), subjectFromWire(subject), eventFromWire(event), lastPing ?? undefined);
    await sendWithTimeout(definition, config, alert, tools, deadlines, engineServices(members, (v) => (corrected = v)));
    report([id, started, Math.round(performance.now() - startedAt), null, false, corrected]);
  } catch (error) {
    const failure = error instanceof TransportError ? error : new TransportError(`Unexpected error: ${String(error)}`);
    report([id, started, Math.round(performance.now() - startedAt), failure.message, failure.permanent, corrected]);
  }
}

// ---- the queue ----

/** A channel's sends in flight, and those waiting (a FIFO: Array.shift moves the whole array). */
class ChannelQueue {
  active = 0;
  private jobs: WireJob[] = [];
  private head = 0;

  get waiting(): number {
    return this.jobs.length - this.head;
  }

  push(job: WireJob): void {
    this.jobs.push(job);
  }

  take(): WireJob {
    const job = this.jobs[this.head] as WireJob;
    this.jobs[this.head++] = undefined as unknown as WireJob;
    if (this.head === this.jobs.length) {
      this.jobs = [];
      this.head = 0;
    }
    return job;
  }

  takeAll(): WireJob[] {
    const jobs = this.jobs.slice(this.head);
    this.jobs = [];
    this.head = 0;
    return jobs;
  }
}

let limits: SendLimits = { perChannel: 1, total: 1 };
let active = 0;
let closing = false;
const queues = new Map<number, ChannelQueue>();
/** Channels with sends waiting, the longest-served last. */
const waitingTurn = new Set<number>();
let allDone: (() => void) | null = null;

function enqueue(job: WireJob): void {
  const channelId = job[2];
  let queue = queues.get(channelId);
  if (!queue) {
    queue = new ChannelQueue();
    queues.set(channelId, queue);
  }
  queue.push(job);
  waitingTurn.add(channelId);
}

/** Starts waiting sends while the limits allow, taking turns between channels. */
function startWhatFits(): void {
  for (const channelId of [...waitingTurn]) {
    if (active >= limits.total) return;
    const queue = queues.get(channelId) as ChannelQueue;
    while (queue.active < limits.perChannel && active < limits.total && queue.waiting > 0) start(channelId, queue, queue.take());
    waitingTurn.delete(channelId);
    // A channel with sends left goes to the back of the turn.
    if (queue.waiting > 0) waitingTurn.add(channelId);
  }
}

function start(channelId: number, queue: ChannelQueue, job: WireJob): void {
  queue.active++;
  active++;
  void send(job).finally(() => {
    queue.active--;
    active--;
    if (queue.active === 0 && queue.waiting === 0) queues.delete(channelId);
    startWhatFits();
    if (active === 0) allDone?.();
  });
}

/** Stopping: what has not started goes back untried, what is in flight finishes, then the thread ends. */
async function close(): Promise<void> {
  closing = true;
  for (const queue of queues.values()) for (const job of queue.takeAll()) report(notStarted(job));
  waitingTurn.clear();
  if (active > 0) await new Promise<void>((resolve) => (allDone = resolve));
  postResults();
  await http.close();
  port?.close();
}

port.on('message', (message: ToSenderThread) => {
  if (message.kind === 'close') {
    void close();
    return;
  }
  if (closing) {
    for (const job of message.jobs) report(notStarted(job));
    return;
  }
  limits = message.limits;
  for (const job of message.jobs) enqueue(job);
  startWhatFits();
});
