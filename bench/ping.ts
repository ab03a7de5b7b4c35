// bench:ping — ping throughput and latency on a fresh database with 1,000 checks, against a bare
// node:http server measured with the same load generator in the same run (wrk when installed,
// else autocannon). Then a fixed number of pings checks durability: every 200 is a stored ping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Accounts, resolveSecretKey } from '../src/accounts/service.js';
import { newCheckRow } from '../src/checks/new-check.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { insertCheck } from '../src/store/checks.js';
import { migrate, openStore } from '../src/store/database.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import type { ChildServer, LoadResult } from './support.js';
import { formatLoad, hasWrk, machineLine, runLoad, runWrk, spawnBareServer, spawnLookout } from './support.js';

const CHECKS = 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DURABILITY_REQUESTS = 20_000;
const TARGET_RATIO = 0.6;
const useWrk = hasWrk() && process.env.BENCH_GENERATOR !== 'autocannon';

/** A migrated database holding one project with CHECKS checks; returns their ping paths. */
async function prepare(databaseUrl: string): Promise<string[]> {
  const config = loadConfig({ DATABASE_URL: databaseUrl });
  const store = openStore(databaseUrl);
  try {
    await migrate(store);
    const accounts = new Accounts(store, config, await resolveSecretKey(store, config), systemClock);
    const user = await accounts.createUser('bench@example.org', 'bench password');
    const { project } = await accounts.createProject(user, 'bench');
    const codes: string[] = [];
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < CHECKS; i++) codes.push((await insertCheck(trx, newCheckRow(project.id, Date.now()))).code);
    });
    return codes.map((code) => `/ping/${code}`);
  } finally {
    await store.close();
  }
}

async function storedPings(databaseUrl: string): Promise<number> {
  const store = openStore(databaseUrl);
  try {
    const row = await store.db.selectFrom('pings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

/** Warm-up, then the measured run. */
async function load(server: ChildServer, paths: string[]): Promise<LoadResult> {
  if (useWrk) {
    runWrk({ port: server.port, connections: CONNECTIONS, seconds: 3, paths });
    return runWrk({ port: server.port, connections: CONNECTIONS, seconds: SECONDS, paths });
  }
  await runLoad({ port: server.port, connections: CONNECTIONS, amount: 5_000, paths });
  return runLoad({ port: server.port, connections: CONNECTIONS, amount: SECONDS * 5_000, paths });
}

async function measureLookout(label: string, databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<LoadResult> {
  const paths = await prepare(databaseUrl);
  const server = await spawnLookout(databaseUrl, extraEnv);
  const result = await load(server, paths);
  console.log(formatLoad(label, result));

  // Durability: a fixed number of requests, all answered, then count what is stored.
  await new Promise((r) => setTimeout(r, 500));
  const before = await storedPings(databaseUrl);
  const check = await runLoad({ port: server.port, connections: CONNECTIONS, amount: DURABILITY_REQUESTS, paths });
  await server.stop();
  const stored = (await storedPings(databaseUrl)) - before;
  const verdict = stored === check.ok && check.non2xx === 0 ? 'every 200 is stored' : 'MISMATCH';
  console.log(`${''.padEnd(28)} durability: ${check.ok} answered 200, ${stored} stored: ${verdict}`);
  if (verdict !== 'every 200 is stored') process.exitCode = 1;
  return result;
}

async function main(): Promise<void> {
  console.log(machineLine());
  console.log(
    `load: ${useWrk ? `wrk, ${SECONDS} s` : `autocannon, ${SECONDS * 5_000} requests`} per run, ${CONNECTIONS} connections, ` +
      `random paths over ${CHECKS} checks; load generator on the same machine`,
  );

  // The baseline gets paths of the same shape, so the generator does the same work for both.
  const bare = await spawnBareServer();
  const baseline = await load(bare, Array.from({ length: CHECKS }, () => `/ping/${crypto.randomUUID()}`));
  await bare.stop();
  console.log(formatLoad('bare node:http', baseline));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-'));
  try {
    const sqlite = await measureLookout('Lookout, SQLite', `sqlite:${path.join(dir, 'bench.db')}`);
    const ratio = sqlite.rps / baseline.rps;
    console.log(`ratio SQLite / bare: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO})${ratio >= TARGET_RATIO ? '' : '  BELOW TARGET'}`);

    if (process.env.BENCH_SKIP_POSTGRES !== '1') {
      const cluster = await startPgCluster({ durable: true });
      try {
        const pg = await measureLookout('Lookout, PostgreSQL', cluster.adminUrl);
        console.log(`ratio PostgreSQL / bare: ${(pg.rps / baseline.rps).toFixed(2)}`);
      } finally {
        cluster.stop();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
