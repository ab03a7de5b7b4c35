// Ping ingestion: pings that arrive close together are grouped into one batch (group-commit.ts),
// and a batch is written as one transaction (store-writer.ts), on a thread of its own for SQLite
// files (thread-writer.ts). A caller hears back only after the commit.
import type { Store } from '../store/database.js';
import { GroupCommitQueue } from './group-commit.js';
import type { PingOutcome, PingRequest } from './ping-request.js';
import type { PingWriter } from './ping-writer.js';
import { StorePingWriter } from './store-writer.js';
import { ThreadPingWriter } from './thread-writer.js';

/** The largest batch handed to the SQLite writer thread (see writerFor). */
const THREAD_MAX_BATCH = 32;

export interface IngestOptions {
  flushMs: number;
  maxBatch: number;
  /** Told about pings that could not be stored. */
  onError?: (error: unknown, request: PingRequest) => void;
  /**
   * Told after each commit when the pings of a batch moved a check's deadline or changed a
   * status: the earliest new deadline, or the commit time when a status changed (its flip is due
   * now). This is how the alert scheduler learns of work sooner than it planned to look.
   */
  onCommitted?: (earliest: number) => void;
}

/**
 * How batches are written: by whom, how many at once, and at most how large.
 *
 * A SQLite file gets a writer thread, with up to three batches under way: one being committed,
 * one waiting on the writer thread, one being answered and refilled here. Each is capped, so that
 * the two threads work side by side instead of taking turns, each idle while the other works with
 * every waiting ping in one batch. The cap is not small, though: a commit writes every page its
 * pings touched to the WAL, and pings in one batch share pages (the deadline index, the end of
 * the ping table). From 16 to 32 pings a batch, the WAL written per ping fell from 9.8 to 7.0 KB
 * and the writer thread's CPU per ping by a sixth; a cap of 64 wrote no less. A second connection
 * cannot write at the same time, so more batches at once would gain nothing.
 *
 * PostgreSQL commits several batches side by side, each as large as the configuration allows
 * (fewer statements). An in-memory SQLite database exists only on its one connection, so it is
 * written in this thread, one batch at a time.
 */
function writerFor(store: Store, maxBatch: number): { writer: PingWriter; concurrency: number; maxBatch: number } {
  if (store.dialect === 'postgres') return { writer: new StorePingWriter(store), concurrency: 4, maxBatch };
  if (!store.sqlite || store.sqlite.memory) return { writer: new StorePingWriter(store), concurrency: 1, maxBatch };
  return { writer: new ThreadPingWriter(`sqlite:${store.sqlite.name}`), concurrency: 3, maxBatch: Math.min(maxBatch, THREAD_MAX_BATCH) };
}

export class PingIngest {
  private readonly queue: GroupCommitQueue<PingRequest, PingOutcome>;
  private readonly writer: PingWriter;

  constructor(
    store: Store,
    private readonly options: IngestOptions,
  ) {
    const { writer, concurrency, maxBatch } = writerFor(store, options.maxBatch);
    this.writer = writer;
    this.queue = new GroupCommitQueue((batch) => this.write(batch), { flushMs: options.flushMs, maxBatch, concurrency });
  }

  submit(request: PingRequest): Promise<PingOutcome> {
    return this.queue.submit(request);
  }

  /** Resolves once every ping submitted so far is written. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Drains, then stops the writer. */
  async close(): Promise<void> {
    await this.drain();
    await this.writer.close();
  }

  private async write(batch: PingRequest[]): Promise<PingOutcome[]> {
    const written = await this.writer.write(batch);
    for (const { index, error } of written.failures) this.options.onError?.(error, batch[index] as PingRequest);
    if (written.earliest !== null) this.options.onCommitted?.(written.earliest);
    return written.outcomes;
  }
}
