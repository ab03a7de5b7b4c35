// bench:api — Management API latency with 10,000 checks in one project (with channels and a ping
// log), on SQLite and on PostgreSQL: GET /api/v3/checks/ and GET /api/v3/checks/<uuid>/pings/,
// p50/p99. Then the SQL statements each request runs, for 10 checks and for 10,000, which must be
// the same. Target: the 10,000-check list under 250 ms p50 on SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Accounts } from '../src/accounts/service.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import type { CountedApp } from '../test/support/counted-app.js';
import { startCountedApp, statementsOf } from '../test/support/counted-app.js';
import { seedChecks } from '../test/support/seed-checks.js';
import { cpuSeconds, formatLoad, hasWrk, machineLine, runLoad, runWrk, spawnLookout } from './support.js';
import type { LoadResult } from './support.js';

const LARGE = 10_000;
const SMALL = 10;
const LIST_REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 60);
const PING_REQUESTS = Number(process.env.BENCH_PING_REQUESTS ?? 2_000);
const LIST_SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 20);
const PING_SECONDS = Number(process.env.BENCH_PING_SECONDS ?? 10);
// wrk (C) when installed, as bench:ping does: a JavaScript client reading 12 MB answers takes CPU
// from the server on a small machine and adds its own parsing to every latency.
const useWrk = hasWrk() && process.env.BENCH_GENERATOR !== 'autocannon';
const LIST_TARGET_P50_MS = 250;
interface Load {
  port: number;
  headers: Record<string, string>;
  paths: string[];
  connections: number;
  /** With autocannon: exactly this many requests. */
  amount: number;
  /** With wrk: this long. */
  seconds: number;
}

async function run(load: Load): Promise<LoadResult> {
  return useWrk ? runWrk(load) : runLoad(load);
}

/** Runs the load and adds the server's CPU milliseconds per request to the printed line. */
async function measured(label: string, pid: number | undefined, load: Load): Promise<LoadResult> {
  const before = cpuSeconds(pid);
  const result = await run(load);
  const after = cpuSeconds(pid);
  const cpu = before === null || after === null ? '' : `   server CPU ${(((after - before) * 1000) / result.requests).toFixed(1)} ms/request`;
  console.log(`  ${formatLoad(label, result)}${cpu}`);
  return result;
}

interface Seeded {
  apiKey: string;
  first: string;
}

async function seedProject(accounts: Accounts, counted: CountedApp, email: string, checks: number): Promise<Seeded> {
  const user = await accounts.createUser(email, 'bench password');
  const { project, apiKey } = await accounts.createProject(user, `${checks} checks`);
  // The ping log holds a full page: the owner's limit of 100 pings.
  const first = await seedChecks(counted.store, project.id, { checks, channels: 5, pings: 100 });
  return { apiKey, first };
}

/** Seeds both projects through an in-process app that counts statements, and prints the counts. */
async function prepare(databaseUrl: string): Promise<{ large: Seeded; small: Seeded }> {
  const counted = await startCountedApp(databaseUrl);
  try {
    const started = Date.now();
    const large = await seedProject(counted.accounts, counted, 'large@example.org', LARGE);
    const small = await seedProject(counted.accounts, counted, 'small@example.org', SMALL);
    console.log(`  seeded ${LARGE} + ${SMALL} checks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const [label, url] of [
      ['GET /api/v3/checks/', () => '/api/v3/checks/'],
      ['GET /api/v3/checks/<uuid>/pings/', (s: Seeded) => `/api/v3/checks/${s.first}/pings/`],
    ] as const) {
      const few = await statementsOf(counted, url(small), small.apiKey);
      const many = await statementsOf(counted, url(large), large.apiKey);
      const same = few.statements === many.statements;
      console.log(
        `  SQL statements, ${label.padEnd(34)} ${SMALL} checks: ${few.statements}, ${LARGE} checks: ${many.statements}${same ? '' : '  DEPENDS ON THE NUMBER OF CHECKS'}`,
      );
      if (!same || few.status !== 200 || many.status !== 200) process.exitCode = 1;
    }
    return { large, small };
  } finally {
    await counted.close();
  }
}

async function measure(label: string, databaseUrl: string): Promise<LoadResult> {
  console.log(`${label}:`);
  const { large } = await prepare(databaseUrl);
  const server = await spawnLookout(databaseUrl);
  try {
    const headers = { 'x-api-key': large.apiKey };
    const pid = server.process.pid;
    const list = { port: server.port, headers, paths: ['/api/v3/checks/'], connections: 1 };
    await run({ ...list, amount: 5, seconds: 2 });
    const listResult = await measured(`list of ${LARGE} checks`, pid, { ...list, amount: LIST_REQUESTS, seconds: LIST_SECONDS });
    const pings = { port: server.port, headers, paths: [`/api/v3/checks/${large.first}/pings/`], connections: 10 };
    await run({ ...pings, amount: 200, seconds: 2 });
    await measured('ping log (100 pings)', pid, { ...pings, amount: PING_REQUESTS, seconds: PING_SECONDS });
    return listResult;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(machineLine());
  console.log(`load average at start: ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} (latencies grow with it; server CPU per request does not)`);
  console.log(
    useWrk
      ? `wrk; list: ${LIST_SECONDS} s on 1 connection; ping log: ${PING_SECONDS} s on 10 connections`
      : `autocannon; list: ${LIST_REQUESTS} requests on 1 connection; ping log: ${PING_REQUESTS} requests on 10 connections`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-api-'));
  const sqlite = await measure('SQLite', `sqlite:${path.join(dir, 'bench.db')}`);
  const verdict = sqlite.p50 < LIST_TARGET_P50_MS ? 'met' : 'MISSED';
  console.log(`  target: list p50 < ${LIST_TARGET_P50_MS} ms on SQLite: ${verdict} (${sqlite.p50.toFixed(1)} ms)`);
  if (sqlite.p50 >= LIST_TARGET_P50_MS) process.exitCode = 1;

  fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.BENCH_SKIP_POSTGRES === '1') return;

  const cluster = await startPgCluster({ durable: true });
  try {
    // PostgreSQL's own CPU is spent in its processes, not counted in "server CPU".
    await measure('PostgreSQL', cluster.adminUrl);
  } finally {
    cluster.stop();
  }
}

await main();
