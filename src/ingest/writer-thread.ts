// The ping writer thread (see thread-writer.ts): its own connection to the SQLite file, and the
// same StorePingWriter the main thread would otherwise run. Nothing else writes through this
// connection, so the writer may keep the checks it knows in memory (check-cache.ts). Batches are
// written one after the other, in the order they came.
import { parentPort } from 'node:worker_threads';
import { moduleWorkerData } from '../module-worker.js';
import type { Store } from '../store/database.js';
import { openStore } from '../store/database.js';
import { fromWire } from './ping-wire.js';
import { StorePingWriter } from './store-writer.js';
import type { FromWriterThread, ToWriterThread } from './thread-writer.js';
import { outcomeName } from './thread-writer.js';

const port = parentPort;
if (!port) throw new Error('writer-thread runs as a worker thread');

function describe(error: unknown): FromWriterThread['failures'][number]['error'] {
  const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: unknown };
  return typeof code === 'string' ? { name, message, code } : { name, message };
}

/** The main thread's connection runs the WAL checkpoints. */
function openOwnStore(databaseUrl: string): Store {
  try {
    return openStore(databaseUrl, { checkpoints: false });
  } catch (error) {
    // Only a plain Error keeps its message on the way to the main thread.
    throw new Error(`the ping writer thread cannot open the database: ${describe(error).message}`);
  }
}

const store = openOwnStore(moduleWorkerData<string>());
const writer = new StorePingWriter(store, { cacheChecks: true });

async function handle(message: ToWriterThread): Promise<void> {
  if (message.kind === 'close') {
    await store.close();
    port?.close();
    return;
  }
  const written = await writer.write(message.batch.map(fromWire));
  port?.postMessage({
    id: message.id,
    outcomes: written.outcomes.map(outcomeName),
    earliest: written.earliest,
    failures: written.failures.map(({ index, error }) => ({ index, error: describe(error) })),
  } satisfies FromWriterThread);
}

let queue = Promise.resolve();
port.on('message', (message: ToWriterThread) => {
  queue = queue.then(() => handle(message));
});
