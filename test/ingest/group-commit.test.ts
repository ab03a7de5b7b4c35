import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from '../../src/ingest/group-commit.js';

describe('GroupCommitQueue', () => {
  it('writes requests that arrive together as one batch and answers each with its own result', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(async (batch) => {
      batches.push(batch);
      return batch.map((n) => n * 10);
    }, { flushMs: 5, maxBatch: 100, concurrency: 1 });
    const results = await Promise.all([1, 2, 3].map((n) => queue.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('never puts more than maxBatch requests in one batch', async () => {
    const sizes: number[] = [];
    const queue = new GroupCommitQueue<number, number>(async (batch) => {
      sizes.push(batch.length);
      return batch;
    }, { flushMs: 50, maxBatch: 4, concurrency: 1 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(i)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.reduce((a, b) => a + b)).toBe(10);
  });

  it('collects requests that arrive during a write into the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new GroupCommitQueue<number, number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await gate;
      return batch;
    }, { flushMs: 0, maxBatch: 100, concurrency: 1 });
    const first = queue.submit(1);
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4].map((n) => queue.submit(n));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every request of a batch whose write fails, and keeps serving', async () => {
    let fail = true;
    const queue = new GroupCommitQueue<number, number>(async (batch) => {
      if (fail) throw new Error('disk full');
      return batch;
    }, { flushMs: 1, maxBatch: 100, concurrency: 1 });
    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await queue.submit(3)).toBe(3);
  });

  it('drain waits until everything submitted is written', async () => {
    const written: number[] = [];
    const queue = new GroupCommitQueue<number, number>(async (batch) => {
      await new Promise((r) => setTimeout(r, 10));
      written.push(...batch);
      return batch;
    }, { flushMs: 5, maxBatch: 100, concurrency: 1 });
    void queue.submit(1);
    void queue.submit(2);
    await queue.drain();
    expect(written).toEqual([1, 2]);
  });
});
