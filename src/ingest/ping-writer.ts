// What writes a batch of pings to the database: a StorePingWriter in the calling thread, or a
// ThreadPingWriter that hands the batch to a StorePingWriter on a thread of its own.
import type { PingOutcome, PingRequest } from './ping-request.js';

export interface WrittenBatch {
  /** One per ping of the batch, in order. */
  outcomes: PingOutcome[];
  /**
   * When pings moved a check's deadline or changed a status: the earliest new deadline, or the
   * commit time when a status changed (its flip is due now). Null when nothing moved.
   */
  earliest: number | null;
  /** Pings that could not be stored (their outcome is 503), and why. */
  failures: { index: number; error: unknown }[];
}

export interface PingWriter {
  /** Resolves once the batch is committed; rejects only when the writer itself is gone. */
  write(batch: PingRequest[]): Promise<WrittenBatch>;
  close(): Promise<void>;
}
