// bench:ping — ping throughput and latency on a fresh database with 1,000 checks, against a bare
// node:http server measured with the same load generator in the same run. Afterwards every 200
// answer must be a stored ping.
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
import { formatLoad, machineLine, runLoad, spawnBareServer, spawnLookout } from './support.js';
import type { LoadResult } from './support.js';

const CHECKS = 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const AMOUNT = Number(process.env.BENCH_REQUESTS ?? 200_000);
const TARGET_RATIO = 0.6;

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

async function measureLookout(label: string, databaseUrl: string): Promise<LoadResult> {
  const paths = await prepare(databaseUrl);
  const server = await spawnLookout(databaseUrl);
  // A short warm-up lets the JIT settle; its pings are counted too.
  const warm = await runLoad({ port: server.port, connections: CONNECTIONS, amount: 5_000, paths });
  const result = await runLoad({ port: server.port, connections: CONNECTIONS, amount: AMOUNT, paths });
  await server.stop();
  const stored = await storedPings(databaseUrl);
  const answered = warm.ok + result.ok;
  console.log(formatLoad(label, result));
  console.log(`${''.padEnd(28)} stored pings ${stored}, 200 answers ${answered}: ${stored === answered ? 'every 200 is stored' : 'MISMATCH'}`);
  if (stored !== answered) process.exitCode = 1;
  return result;
}

async function main(): Promise<void> {
  console.log(machineLine());
  console.log(`load: autocannon, ${CONNECTIONS} connections, ${AMOUNT} requests per run, ${CHECKS} checks`);

  const bare = await spawnBareServer();
  await runLoad({ port: bare.port, connections: CONNECTIONS, amount: 5_000, paths: ['/'] });
  const baseline = await runLoad({ port: bare.port, connections: CONNECTIONS, amount: AMOUNT, paths: ['/'] });
  await bare.stop();
  console.log(formatLoad('bare node:http', baseline));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-'));
  const sqlite = await measureLookout('Lookout, SQLite', `sqlite:${path.join(dir, 'bench.db')}`);
  const ratio = sqlite.rps / baseline.rps;
  console.log(`ratio SQLite / bare: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO})${ratio >= TARGET_RATIO ? '' : '  BELOW TARGET'}`);

  if (process.env.BENCH_SKIP_POSTGRES !== '1') {
    const cluster = await startPgCluster({ durable: true });
    try {
      const url = new URL(cluster.adminUrl);
      const pg = await measureLookout('Lookout, PostgreSQL', url.toString());
      console.log(`ratio PostgreSQL / bare: ${(pg.rps / baseline.rps).toFixed(2)}`);
    } finally {
      cluster.stop();
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
