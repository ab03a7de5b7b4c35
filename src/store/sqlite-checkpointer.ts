// Moves SQLite's WAL checkpoints off the request path. By default the connection that commits
// also copies the WAL back into the database file every 1,000 pages, fsync included, stalling
// every ping waiting behind that commit. Here a worker thread with its own connection runs
// PASSIVE checkpoints (they never block the writer) on a timer, and the main connection keeps only
// a far-away automatic checkpoint as a safety net in case the worker falls behind.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => { try { db.pragma('wal_checkpoint(' + mode + ')'); } catch {} };
const timer = setInterval(() => checkpoint('PASSIVE'), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint('TRUNCATE');
  db.close();
  parentPort.postMessage('stopped');
});
`;

/** Pages the WAL may hold before the committing connection checkpoints by itself. */
export const SAFETY_NET_PAGES = 50_000;

export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, intervalMs = 250) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    // The worker must never keep the process alive on its own.
    this.worker.unref();
  }

  /** Runs a last full checkpoint (so the WAL is folded back) and ends the worker. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('message', done);
      this.worker.once('exit', done);
      this.worker.once('error', done);
      this.worker.postMessage('stop');
    });
    await this.worker.terminate();
  }
}
