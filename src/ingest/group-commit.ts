// Group commit: requests that arrive close together are written in one transaction, so the cost
// of a commit is shared and throughput grows with load. Each caller still waits for its own
// result, which is only produced after the batch's transaction has committed.

export interface GroupCommitOptions {
  /** Longest time the first request of a batch waits for company. */
  flushMs: number;
  /** A batch this large is flushed at once. */
  maxBatch: number;
  /** Batches written at the same time (1 for SQLite's single connection). */
  concurrency: number;
}

interface Pending<Req, Res> {
  request: Req;
  resolve(result: Res): void;
  reject(error: unknown): void;
}

export class GroupCommitQueue<Req, Res> {
  private queue: Pending<Req, Res>[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly writeBatch: (batch: Req[]) => Promise<Res[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far has been written. */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.queue.length === 0 || this.inFlight >= this.options.concurrency) return;
    if (this.queue.length >= this.options.maxBatch) {
      this.flushNow();
    } else if (this.timer === null) {
      // With no delay configured, still let the requests already read in this turn of the event
      // loop join the batch.
      this.timer =
        this.options.flushMs === 0
          ? setImmediate(() => this.flushNow())
          : setTimeout(() => this.flushNow(), this.options.flushMs);
    }
  }

  private flushNow(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    if (this.queue.length === 0 || this.inFlight >= this.options.concurrency) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight++;
    this.writeBatch(batch.map((p) => p.request)).then(
      (results) => batch.forEach((p, i) => p.resolve(results[i] as Res)),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    ).finally(() => {
      this.inFlight--;
      // Requests that queued up while this batch was being written go out at once.
      if (this.queue.length > 0) this.flushNow();
      else if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    });
  }
}
