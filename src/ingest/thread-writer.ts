// Ping writes on a thread of their own, for SQLite files. SQLite runs inside the process, so its
// work on a ping (finding the check, updating it, inserting the ping, committing) takes as much
// CPU as parsing and answering the HTTP request does. On the thread that serves HTTP it halves
// how many pings one process can take; here it runs beside it, on another core, through its own
// connection to the same file. The batch crosses as a message and its outcomes come back the
// same way; nothing is answered before the writer thread has committed.
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnModuleWorker } from '../module-worker.js';
import type { PingOutcome, PingRequest } from './ping-request.js';
import { OUTCOME } from './ping-request.js';
import type { PingWriter, WrittenBatch } from './ping-writer.js';
import type { WirePing } from './ping-wire.js';
import { toWire } from './ping-wire.js';

export type OutcomeName = keyof typeof OUTCOME;

/** What the main thread sends the writer thread. */
export type ToWriterThread = { kind: 'write'; id: number; batch: WirePing[] } | { kind: 'close' };

/** What the writer thread answers for one batch. */
export interface FromWriterThread {
  id: number;
  outcomes: OutcomeName[];
  earliest: number | null;
  failures: { index: number; error: { name: string; message: string; code?: string } }[];
}

const NAME_OF_OUTCOME = new Map<PingOutcome, OutcomeName>(Object.entries(OUTCOME).map(([name, outcome]) => [outcome, name as OutcomeName]));

export function outcomeName(outcome: PingOutcome): OutcomeName {
  const name = NAME_OF_OUTCOME.get(outcome);
  if (name === undefined) throw new Error(`unknown ping outcome ${outcome.status} ${outcome.body}`);
  return name;
}

function errorFrom(failure: FromWriterThread['failures'][number]['error']): Error {
  return Object.assign(new Error(failure.message), { name: failure.name, code: failure.code });
}

type Waiter = { resolve: (written: WrittenBatch) => void; reject: (error: unknown) => void };

/** A running writer thread and the batches it has not answered yet. */
interface WriterThread {
  worker: Worker;
  pending: Map<number, Waiter>;
}

export class ThreadPingWriter implements PingWriter {
  private thread: WriterThread | null = null;
  private nextId = 1;

  constructor(private readonly databaseUrl: string) {}

  write(batch: PingRequest[]): Promise<WrittenBatch> {
    // Started on the first ping rather than with the server: most processes that never take a
    // ping (commands, tests) then never pay for a thread.
    const thread = this.thread ?? this.start();
    const id = this.nextId++;
    return new Promise<WrittenBatch>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ kind: 'write', id, batch: batch.map(toWire) } satisfies ToWriterThread);
    });
  }

  /** Lets the thread finish what it was given, then ends it. */
  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.thread = null;
    const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
    thread.worker.postMessage({ kind: 'close' } satisfies ToWriterThread);
    await exited;
  }

  private start(): WriterThread {
    const worker = spawnModuleWorker(siblingModule(import.meta.url, 'writer-thread'), this.databaseUrl);
    const thread: WriterThread = { worker, pending: new Map() };
    worker.on('message', (reply: FromWriterThread) => settle(thread, reply));
    worker.on('error', (error) => this.lost(thread, error));
    worker.on('exit', (code) => this.lost(thread, new Error(`the ping writer thread stopped (exit code ${code})`)));
    this.thread = thread;
    return thread;
  }

  /**
   * The thread is gone: whatever it was writing is answered as not stored (the client tries
   * again), and the next batch starts a new thread.
   */
  private lost(thread: WriterThread, error: unknown): void {
    if (this.thread === thread) this.thread = null;
    for (const waiter of thread.pending.values()) waiter.reject(error);
    thread.pending.clear();
  }
}

function settle(thread: WriterThread, reply: FromWriterThread): void {
  const waiter = thread.pending.get(reply.id);
  if (!waiter) return;
  thread.pending.delete(reply.id);
  waiter.resolve({
    outcomes: reply.outcomes.map((name) => OUTCOME[name]),
    earliest: reply.earliest,
    failures: reply.failures.map(({ index, error }) => ({ index, error: errorFrom(error) })),
  });
}
