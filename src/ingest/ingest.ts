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
const THREAD_MAX_BATCH = 16;

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
 * A SQLite file gets a writer thread. Its batches stay small and three may be under way: one
 * being committed, one waiting on the writer thread, one being answered and refilled here. With
 * large batches every waiting ping joins the one batch, and the two threads take turns, each idle
 * while the other works; small ones keep both busy. A second connection cannot write at the same
 * time, and SQLite's cost per ping hardly depends on the batch size, so there is nothing to gain
 * from more. PostgreSQL commits several batches side by side, each as large as the configuration
 * allows (fewer statements). An in-memory SQLite database exists only on its one connection, so it
 * is written in this thread, one batch at a time.
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
