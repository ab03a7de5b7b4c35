// bench:alerts — how fast a Lookout server notices checks going down and delivers their alerts to
// a webhook on 127.0.0.1, on SQLite and on a durable PostgreSQL:
//   (a) latency: 2,000 checks whose deadlines are spread over 60 s; for each, the time from its
//       deadline to its flip being written and to its webhook arriving at the sink;
//   (b) spike: 100,000 checks due in the same second; the time until every flip is written and
//       every webhook has arrived. On SQLite the spike runs three times, each on a fresh database,
//       and the median is the result: this machine's speed moves from one minute to the next.
// The server is a child process (`lookout serve`) in real time; the sink (webhook-sink.ts) runs in
// this process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { newCheckRow } from '../src/checks/new-check.js';
import { insertProject, insertUser } from '../src/store/accounts.js';
import { insertChannel } from '../src/store/channels.js';
import type { Store } from '../src/store/database.js';
import { migrate, openStore } from '../src/store/database.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { machineLine, machineTicks, median, spawnLookout, threadCpuSeconds } from './support.js';
import type { Sink } from './webhook-sink.js';
import { startSink } from './webhook-sink.js';
import type { ChildServer } from './support.js';

const LATENCY_CHECKS = Number(process.env.BENCH_LATENCY_CHECKS ?? 2_000);
const LATENCY_SPREAD_MS = 60_000;
const SPIKE_CHECKS = Number(process.env.BENCH_SPIKE_CHECKS ?? 100_000);
const SPIKE_ROUNDS = Number(process.env.BENCH_SPIKE_ROUNDS ?? 3);
const SPIKE_WARM_UP_CHECKS = Number(process.env.BENCH_SPIKE_WARM_UP ?? 5_000);
/** Time between setting the deadlines and the first of them: the server looks at least every second. */
const LEAD_MS = 5_000;
const TARGET_P99_MS = 1_000;
const TARGET_SPIKE_MS = 10_000;
const ROWS_PER_INSERT = 1_000;

interface Fixture {
  projectId: number;
  channelId: number;
}

/** A project with one webhook channel that posts the check's UUID to the sink when it goes down. */
async function prepareProject(store: Store, sink: Sink): Promise<Fixture> {
  const tag = crypto.randomBytes(4).toString('hex');
  const user = await insertUser(store.db, { email: `bench-${tag}@example.org`, password_hash: 'x', is_admin: 0, check_limit: 1e9, ping_log_limit: 100, created: Date.now() });
  const project = await insertProject(store.db, {
    code: crypto.randomUUID(),
    name: `bench ${tag}`,
    owner_id: user.id,
    ping_key: `bench${tag}`,
    badge_key: crypto.randomUUID(),
    show_slugs: 0,
    created: Date.now(),
  });
  const channel = await insertChannel(store.db, {
    code: crypto.randomUUID(),
    project_id: project.id,
    kind: 'webhook',
    name: 'sink',
    value: JSON.stringify({ method_down: 'POST', url_down: sink.url, body_down: '$CODE' }),
    send_up: 0,
    created: Date.now(),
  });
  return { projectId: project.id, channelId: channel.id };
}

/** `count` new checks with the channel, not due yet; returns their ids in order. */
async function insertChecks(store: Store, fixture: Fixture, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += ROWS_PER_INSERT) {
    const rows = Array.from({ length: Math.min(ROWS_PER_INSERT, count - done) }, () =>
      newCheckRow(fixture.projectId, Date.now(), { timeout: 1, grace: 1 }),
    );
    const inserted = await store.db.insertInto('checks').values(rows).returning('id').execute();
    await store.db
      .insertInto('check_channels')
      .values(inserted.map((row) => ({ check_id: row.id, channel_id: fixture.channelId })))
      .execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids.sort((a, b) => a - b);
}

/**
 * Makes the checks up with deadlines `first + (id - firstId) * stepMs` (last ping two seconds
 * earlier: period 1 s + grace 1 s), in one statement.
 */
async function armChecks(store: Store, projectId: number, firstId: number, first: number, stepMs: number): Promise<void> {
  await sql`
    update checks
    set status = 'up',
        last_ping = ${first - 2000} + (id - ${firstId}) * ${stepMs},
        alert_after = ${first} + (id - ${firstId}) * ${stepMs}
    where project_id = ${projectId}`.execute(store.db);
}

interface FlipTimes {
  code: string;
  deadline: number;
  /** When the flip was written (the detecting transaction's time). */
  processed: number;
}

async function flipTimes(store: Store, projectId: number): Promise<FlipTimes[]> {
  const rows = await store.db
    .selectFrom('flips')
    .innerJoin('checks', 'checks.id', 'flips.check_id')
    .select(['checks.code', 'flips.created', 'flips.processed'])
    .where('checks.project_id', '=', projectId)
    .where('flips.new_status', '=', 'down')
    .execute();
  return rows.map((r) => ({ code: r.code, deadline: r.created, processed: r.processed ?? NaN }));
}

/**
 * Why attempts to deliver this project's alerts failed, most frequent first, as "count × error".
 * A failed attempt is retried after its backoff (5 s, then 20 s…), which is what a run that ends
 * long after its last flip usually shows.
 */
async function failedAttempts(store: Store, channelId: number): Promise<string[]> {
  const rows = await store.db
    .selectFrom('notification_attempts')
    .innerJoin('notifications', 'notifications.id', 'notification_attempts.notification_id')
    .select(['notification_attempts.error', (eb) => eb.fn.countAll<number>().as('n')])
    .where('notifications.channel_id', '=', channelId)
    .where('notification_attempts.error', '<>', '')
    .groupBy('notification_attempts.error')
    .orderBy('n', 'desc')
    .execute();
  return rows.map((row) => `${Number(row.n)} × ${row.error}`);
}

/** Math.max without spreading 100,000 arguments onto the stack. */
function latest(values: number[]): number {
  return values.reduce((max, value) => (value > max ? value : max), -Infinity);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms   p99 ${percentile(sorted, 99).toFixed(0).padStart(5)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(0).padStart(5)} ms`;
}

/** The child's peak resident memory (Linux), in MiB. */
function peakRssMiB(server: ChildServer): string {
  try {
    const status = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return `${(kb / 1024).toFixed(0)} MiB`;
  } catch {
    return 'unknown';
  }
}

/** CPU used so far by each thread of the server, by the sink (this process) and by the machine. */
interface CpuSnapshot {
  /** Epoch ms, as the flips' times are. */
  at: number;
  threads: Map<number, number>;
  sinkSeconds: number;
  machine: ReturnType<typeof machineTicks>;
}

/** How often the spike's CPU is sampled, to tell its phases apart. */
const CPU_SAMPLE_MS = 100;

/**
 * Where the CPU went during a run: the server (and its main thread), this process (the sink), and
 * the machine: how busy it was, and how much of that the host of a virtual machine took for others.
 * It samples as the run goes, so that the part while flips were being written and the part after
 * can be told apart: in each, one thread of the server is the one the others wait for.
 */
class CpuSplit {
  private readonly samples: CpuSnapshot[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number | undefined) {
    this.sample();
    this.timer = setInterval(() => this.sample(), CPU_SAMPLE_MS);
  }

  /** Takes the last sample: the run is over. */
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** The whole run (up to stop()), and its two parts split at `splitAt` (epoch ms). */
  report(splitAt: number): string[] {
    const first = this.samples[0] as CpuSnapshot;
    const last = this.samples.at(-1) as CpuSnapshot;
    const used = this.threadsUsed(first, last);
    const server = [...used.values()].reduce((sum, seconds) => sum + seconds, 0);
    const others = [...used].filter(([tid, seconds]) => tid !== this.pid && seconds >= 0.1).sort((a, b) => b[1] - a[1]);
    // The busiest thread besides the main one is the sender thread.
    const sender = others[0]?.[0];
    const split = this.samples.reduce((best, s) => (Math.abs(s.at - splitAt) < Math.abs(best.at - splitAt) ? s : best));
    const seconds = (value: number | undefined) => `${(value ?? NaN).toFixed(1)} s`;
    return [
      `CPU over ${seconds((last.at - first.at) / 1000)}: server ${seconds(server)} (main thread ${seconds(used.get(this.pid ?? -1))}; ` +
        `other threads ${others.map(([, used]) => seconds(used)).join(', ') || 'none'}), sink ${seconds(last.sinkSeconds - first.sinkSeconds)}, ` +
        `machine ${percent(busyShare(first, last, 'busy'))} busy (${percent(busyShare(first, last, 'stolen'))} taken by the host)`,
      this.phase('  while the flips were written', first, split, sender),
      this.phase('  after', split, last, sender),
    ];
  }

  /** How busy the machine and the main thread, the sender thread and the sink were between two samples. */
  private phase(label: string, from: CpuSnapshot, to: CpuSnapshot, sender: number | undefined): string {
    const seconds = (to.at - from.at) / 1000;
    const threads = this.threadsUsed(from, to);
    const ofACore = (used: number | undefined) => percent((used ?? NaN) / seconds);
    return (
      `${label} (${seconds.toFixed(1)} s): machine ${percent(busyShare(from, to, 'busy'))} busy; ` +
      `main thread ${ofACore(threads.get(this.pid ?? -1))}, sender thread ${ofACore(sender === undefined ? undefined : threads.get(sender))}, ` +
      `sink ${ofACore(to.sinkSeconds - from.sinkSeconds)} of a core`
    );
  }

  private sample(): void {
    const sink = process.cpuUsage();
    this.samples.push({
      at: Date.now(),
      threads: threadCpuSeconds(this.pid),
      sinkSeconds: (sink.user + sink.system) / 1e6,
      machine: machineTicks(),
    });
  }

  private threadsUsed(from: CpuSnapshot, to: CpuSnapshot): Map<number, number> {
    return new Map([...to.threads].map(([tid, total]) => [tid, total - (from.threads.get(tid) ?? 0)]));
  }
}

function busyShare(from: CpuSnapshot, to: CpuSnapshot, ticks: 'busy' | 'stolen'): number {
  return from.machine && to.machine ? (to.machine[ticks] - from.machine[ticks]) / (to.machine.total - from.machine.total) : NaN;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

/** The server; with BENCH_CPU_PROF_DIR set, it writes a V8 CPU profile there when it stops. */
function spawnBenchServer(databaseUrl: string): Promise<ChildServer> {
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  return spawnLookout(
    databaseUrl,
    { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true', LOG_LEVEL: 'error' },
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
}

async function withServer<T>(databaseUrl: string, run: (server: ChildServer) => Promise<T>): Promise<T> {
  const server = await spawnBenchServer(databaseUrl);
  // A server that dies mid-run fails the benchmark at once instead of at its timeout.
  const died = new Promise<never>((_resolve, reject) => {
    server.process.once('exit', (code, signal) => reject(new Error(`the server exited (code ${code}, signal ${signal})`)));
  });
  died.catch(() => {});
  try {
    return await Promise.race([run(server), died]);
  } finally {
    await server.stop();
  }
}

async function latencyRun(label: string, databaseUrl: string, store: Store, sink: Sink): Promise<boolean> {
  const fixture = await prepareProject(store, sink);
  const ids = await insertChecks(store, fixture, LATENCY_CHECKS);
  const step = LATENCY_SPREAD_MS / LATENCY_CHECKS;
  return withServer(databaseUrl, async () => {
    const first = Date.now() + LEAD_MS;
    await armChecks(store, fixture.projectId, ids[0] as number, first, step);
    await sink.waitFor(sink.arrivals.size + LATENCY_CHECKS, LATENCY_SPREAD_MS + LEAD_MS + 60_000);
    const flips = await flipTimes(store, fixture.projectId);
    const toFlip = flips.map((f) => f.processed - f.deadline);
    const toDelivery = flips.map((f) => (sink.arrivals.get(f.code) ?? NaN) - f.deadline);
    const p99 = percentile([...toDelivery].sort((a, b) => a - b), 99);
    console.log(`${label}: (a) ${LATENCY_CHECKS} deadlines over ${LATENCY_SPREAD_MS / 1000} s, ${flips.length} flips`);
    console.log(`    deadline → flip written      ${summary(toFlip)}`);
    console.log(`    deadline → webhook delivered ${summary(toDelivery)}   (target p99 < ${TARGET_P99_MS} ms${p99 < TARGET_P99_MS ? '' : '  MISSED'})`);
    return flips.length === LATENCY_CHECKS && p99 < TARGET_P99_MS;
  });
}

/** What a spike's time says against the target, which is SQLite's; the other figures are for reference. */
function spikeVerdict(ms: number, target: boolean): string {
  if (!target) return '(for reference: the target is for SQLite)';
  return `(target < ${TARGET_SPIKE_MS} ms${ms < TARGET_SPIKE_MS ? '' : '  MISSED'})`;
}

/** One spike on this database; returns when the last webhook arrived after the deadline (NaN for a run that lost flips). */
async function spikeRun(label: string, databaseUrl: string, store: Store, sink: Sink, target: boolean): Promise<number> {
  const prepared = Date.now();
  const warmUp = await prepareProject(store, sink);
  const warmUpIds = await insertChecks(store, warmUp, SPIKE_WARM_UP_CHECKS);
  const fixture = await prepareProject(store, sink);
  const ids = await insertChecks(store, fixture, SPIKE_CHECKS);
  const setUpSeconds = (Date.now() - prepared) / 1000;
  return withServer(databaseUrl, async (server) => {
    if (SPIKE_WARM_UP_CHECKS > 0) {
      // A server that has been running has delivered alerts before: its code is compiled. The
      // spike falls due five seconds after these, by when their connections and the channel's
      // pace have been forgotten.
      const warmedUp = sink.arrivals.size + SPIKE_WARM_UP_CHECKS;
      await armChecks(store, warmUp.projectId, warmUpIds[0] as number, Date.now() + LEAD_MS, 0);
      await sink.waitFor(warmedUp, 60_000);
    }
    const before = sink.arrivals.size;
    const deadline = Date.now() + LEAD_MS;
    await armChecks(store, fixture.projectId, ids[0] as number, deadline, 0);
    await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
    const cpu = new CpuSplit(server.process.pid);
    await sink.waitFor(before + SPIKE_CHECKS, 180_000);
    cpu.stop();
    const delivered = latest([...sink.arrivals.values()].slice(before)) - deadline;
    const flips = await flipTimes(store, fixture.projectId);
    const written = latest(flips.map((f) => f.processed)) - deadline;
    console.log(
      `${label}: (b) ${SPIKE_CHECKS} checks due at the same moment (set up in ${setUpSeconds.toFixed(1)} s; ` +
        `${SPIKE_WARM_UP_CHECKS} alerts delivered before, to warm the server up)`,
    );
    console.log(`    every flip written after      ${written.toString().padStart(6)} ms (${flips.length} flips)`);
    console.log(`    every webhook delivered after ${delivered.toString().padStart(6)} ms   ${spikeVerdict(delivered, target)}`);
    for (const line of cpu.report(deadline + written)) console.log(`    ${line}`);
    console.log(`    server peak RSS ${peakRssMiB(server)}`);
    const failures = await failedAttempts(store, fixture.channelId);
    console.log(`    failed attempts (retried later): ${failures.length === 0 ? 'none' : failures.join(', ')}`);
    return flips.length === SPIKE_CHECKS ? delivered : NaN;
  });
}

/**
 * Runs `use` on a migrated database for one run. This process only sets up and reads: the
 * server checkpoints the SQLite WAL, and a second checkpointer here would take CPU from the run.
 */
async function onDatabase<T>(target: Target, use: (databaseUrl: string, store: Store) => Promise<T>): Promise<T> {
  const databaseUrl = target.database();
  const store = openStore(databaseUrl, { checkpoints: false });
  try {
    await migrate(store);
    return await use(databaseUrl, store);
  } finally {
    await store.close();
  }
}

interface Target {
  label: string;
  /** A database for a run: a fresh one each time, where the database allows it cheaply. */
  database(): string;
  spikeRounds: number;
  /** Whether the spike's target applies (SQLite's). */
  spikeTarget: boolean;
}

async function measure(target: Target, sink: Sink): Promise<boolean> {
  const { label } = target;
  // BENCH_LATENCY_CHECKS=0 skips the latency run (quick spike-only measurements).
  const latencyOk = LATENCY_CHECKS === 0 || (await onDatabase(target, (url, store) => latencyRun(label, url, store, sink)));
  const delivered: number[] = [];
  for (let round = 1; round <= target.spikeRounds; round++) {
    const roundLabel = target.spikeRounds > 1 ? `${label} round ${round}/${target.spikeRounds}` : label;
    delivered.push(await onDatabase(target, (url, store) => spikeRun(roundLabel, url, store, sink, target.spikeTarget)));
  }
  // A round that lost flips has no time to take the middle of.
  const result = delivered.every(Number.isFinite) ? median(delivered) : NaN;
  if (target.spikeRounds > 1) {
    console.log(
      `${label}: (b) every webhook delivered, median of ${target.spikeRounds} rounds: ${result.toFixed(0)} ms   ` +
        spikeVerdict(result, target.spikeTarget),
    );
  }
  return latencyOk && (!target.spikeTarget || result < TARGET_SPIKE_MS);
}

async function main(): Promise<void> {
  console.log(machineLine());
  console.log('server: `lookout serve` in a child process; webhook sink on 127.0.0.1 in the benchmark process');
  const sink = await startSink();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-alerts-'));
  let ok = true;
  let files = 0;
  try {
    const sqlite = { label: 'SQLite', database: () => `sqlite:${path.join(dir, `bench-${++files}.db`)}`, spikeRounds: SPIKE_ROUNDS, spikeTarget: true };
    ok = (await measure(sqlite, sink)) && ok;
    if (process.env.BENCH_SKIP_POSTGRES !== '1') {
      const cluster = await startPgCluster({ durable: true });
      try {
        // One spike: on PostgreSQL it is several times longer, and its figure is for reference.
        ok = (await measure({ label: 'PostgreSQL', database: () => cluster.adminUrl, spikeRounds: 1, spikeTarget: false }, sink)) && ok;
      } finally {
        cluster.stop();
      }
    }
  } finally {
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`benchmark process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  if (!ok) process.exitCode = 1;
}

await main();
