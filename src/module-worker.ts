// Starts a worker thread on one of Lookout's own modules. Compiled, that module is JavaScript and
// runs as it is. Run from source (the `tsx` runner, the test runner), it is TypeScript, and a new
// thread does not inherit the loader that reads it: the thread installs tsx's loader first.
import { Worker, workerData } from 'node:worker_threads';

const BOOT_FROM_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then(({ register }) => {
  register();
  return import(workerData.entry);
});
`;

/** Starts `moduleUrl` in a new thread; the module reads `data` with `moduleWorkerData()`. */
export function spawnModuleWorker(moduleUrl: URL, data: unknown): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData: { data } });
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(BOOT_FROM_SOURCE, { eval: true, execArgv: [], workerData: { data, loader, entry: moduleUrl.href } });
}

/** In a thread started by spawnModuleWorker: the data it was given. */
export function moduleWorkerData<T>(): T {
  return (workerData as { data: T }).data;
}

/** The URL of a module beside `base` (an `import.meta.url`), in the same form: `.ts` from source, `.js` compiled. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
