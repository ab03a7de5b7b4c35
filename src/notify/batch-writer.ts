// Writes items in batches, one write at a time, at most one write per interval unless a full batch
// is waiting. Unlike a group commit, nobody waits for their item: delivery results are written
// after the fact, so batches may grow for a few milliseconds and a burst costs a few transactions
// instead of one per handful of results.

export interface BatchWriterOptions<T> {
  write(batch: T[]): Promise<void>;
  /** A write that failed; its items are not written again. */
  onError(error: unknown, batch: T[]): void;
  maxBatch: number;
  /** Longest wait of an item for company. */
  intervalMs: number;
}

export class BatchWriter<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(private readonly options: BatchWriterOptions<T>) {}

  add(item: T): void {
    this.queue.push(item);
    this.schedule();
  }

  /** Writes everything added so far. */
  async drain(): Promise<void> {
    while (this.writing !== null || this.queue.length > 0) {
      if (this.writing === null) this.flush();
      await this.writing;
    }
  }

  private schedule(): void {
    if (this.writing !== null) return;
    if (this.queue.length >= this.options.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.writing = this.options
      .write(batch)
      .catch((error: unknown) => this.options.onError(error, batch))
      .finally(() => {
        this.writing = null;
        if (this.queue.length > 0) this.schedule();
      });
  }
}
