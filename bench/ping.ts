// bench:ping — ping throughput and latency on a fresh database with 1,000 checks, against a bare
// node:http server measured with the same load generator in the same run (wrk when installed,
// else autocannon). The two are measured in alternating rounds, so that whatever else the machine
// is doing weighs on both alike, and the median of the rounds' ratios is the result. Then a fixed
// number of pings checks durability: every 200 is a stored ping.
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
import { formatLoad, hasWrk, machineLine, median, runLoad, runWrk, spawnBareServer, spawnLookout } from './support.js';

const CHECKS = 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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

/**
 * How many pings the checks have received: a check's n_pings counts each stored ping and is
 * written in the same transaction. (Counting ping rows would not do: retention prunes each
 * check's log to its newest pings as it grows.)
 */
async function storedPings(databaseUrl: string): Promise<number> {
  const store = openStore(databaseUrl);
  try {
    const row = await store.db.selectFrom('checks').select((eb) => eb.fn.sum<number>('n_pings').as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

async function warmUp(server: ChildServer, paths: string[]): Promise<void> {
  if (useWrk) runWrk({ port: server.port, connections: CONNECTIONS, seconds: 3, paths });
  else await runLoad({ port: server.port, connections: CONNECTIONS, amount: 5_000, paths });
}

async function load(server: ChildServer, paths: string[]): Promise<LoadResult> {
  if (useWrk) return runWrk({ port: server.port, connections: CONNECTIONS, seconds: SECONDS, paths });
  return runLoad({ port: server.port, connections: CONNECTIONS, amount: SECONDS * 5_000, paths });
}

interface Target {
  server: ChildServer;
  paths: string[];
}

/** Rounds of the bare server then Lookout; returns the median ratio of Lookout's rate to the bare one's. */
async function alternate(label: string, bare: Target, lookout: Target): Promise<number> {
  await warmUp(bare.server, bare.paths);
  await warmUp(lookout.server, lookout.paths);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await load(bare.server, bare.paths);
    const result = await load(lookout.server, lookout.paths);
    ratios.push(result.rps / baseline.rps);
    console.log(`round ${round}/${ROUNDS}`);
    console.log(`  ${formatLoad('bare node:http', baseline)}`);
    console.log(`  ${formatLoad(label, result)}   ratio ${(result.rps / baseline.rps).toFixed(3)}`);
  }
  return median(ratios);
}

/** Durability: a fixed number of requests, all answered, then count what is stored. */
async function checkDurability(databaseUrl: string, lookout: Target): Promise<void> {
  await new Promise((r) => setTimeout(r, 500));
  const before = await storedPings(databaseUrl);
  const check = await runLoad({ port: lookout.server.port, connections: CONNECTIONS, amount: DURABILITY_REQUESTS, paths: lookout.paths });
  await lookout.server.stop();
  const stored = (await storedPings(databaseUrl)) - before;
  const verdict = stored === check.ok && check.non2xx === 0 ? 'every 200 is stored' : 'MISMATCH';
  console.log(`  durability: ${check.ok} answered 200, ${stored} stored: ${verdict}`);
  if (verdict !== 'every 200 is stored') process.exitCode = 1;
}

async function measureLookout(label: string, databaseUrl: string, bare: Target): Promise<number> {
  const paths = await prepare(databaseUrl);
  const lookout = { server: await spawnLookout(databaseUrl), paths };
  const ratio = await alternate(label, bare, lookout);
  await checkDurability(databaseUrl, lookout);
  return ratio;
}

async function main(): Promise<void> {
  console.log(machineLine());
  console.log(
    `load: ${useWrk ? `wrk, ${SECONDS} s` : `autocannon, ${SECONDS * 5_000} requests`} per run, ${CONNECTIONS} connections, ` +
      `random paths over ${CHECKS} checks; load generator on the same machine`,
  );

  // The baseline gets paths of the same shape, so the generator does the same work for both.
  const bare = { server: await spawnBareServer(), paths: Array.from({ length: CHECKS }, () => `/ping/${crypto.randomUUID()}`) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-'));
  try {
    const sqlite = await measureLookout('Lookout, SQLite', `sqlite:${path.join(dir, 'bench.db')}`, bare);
    const met = sqlite >= TARGET_RATIO;
    console.log(`ratio SQLite / bare, median of ${ROUNDS} rounds: ${sqlite.toFixed(3)} (target >= ${TARGET_RATIO})${met ? '' : '  BELOW TARGET'}`);
    if (!met) process.exitCode = 1;

    if (process.env.BENCH_SKIP_POSTGRES !== '1') {
      const cluster = await startPgCluster({ durable: true });
      try {
        const pg = await measureLookout('Lookout, PostgreSQL', cluster.adminUrl, bare);
        console.log(`ratio PostgreSQL / bare, median of ${ROUNDS} rounds: ${pg.toFixed(3)}`);
      } finally {
        cluster.stop();
      }
    }
  } finally {
    await bare.server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
