// Shared pieces of the benchmarks: child servers, the load generator, and printing figures.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/free-port.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

export function machineLine(): string {
  return `machine: Node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process, or one of its threads, has used (Linux), read around a run: unlike
 * latency, the CPU a piece of work costs does not grow when other work competes for the machine.
 */
export function cpuSeconds(pid: number | undefined, thread?: number): number | null {
  try {
    const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds of each thread of a process (Linux), by thread id. */
export function threadCpuSeconds(pid: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const seconds = cpuSeconds(pid, Number(tid));
      if (seconds !== null) out.set(Number(tid), seconds);
    }
  } catch {
    // The process is gone: no figures.
  }
  return out;
}

/** Busy and total CPU time of the whole machine so far (Linux), in clock ticks. */
export function machineTicks(): { busy: number; stolen: number; total: number } | null {
  try {
    const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    const ticks = values.map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    // Busy is all but idle and iowait; steal is time a virtual machine's host gave to others.
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), stolen: ticks[7] ?? 0, total };
  } catch {
    return null;
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

export interface ChildServer {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function spawnServer(args: string[], env: Record<string, string>, port: number): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child);
  return {
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The baseline: Node's own HTTP server answering "OK", nothing else. */
export async function spawnBareServer(): Promise<ChildServer> {
  const port = await freePort();
  const code = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type': 'text/plain'}); s.end('OK'); }); }).listen(${port}, '127.0.0.1')`;
  return spawnServer(['-e', code], {}, port);
}

/**
 * A Lookout server on the given database: the compiled build, as `npm start` runs it (the bench
 * scripts build it first); `nodeArgs` go to node (`--cpu-prof`…).
 */
export async function spawnLookout(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildServer> {
  const port = await freePort();
  return spawnServer(
    [...nodeArgs, 'bin/lookout.js', 'serve'],
    { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...extraEnv },
    port,
  );
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

export interface LoadOptions {
  port: number;
  connections: number;
  /** Exactly this many requests, so every answer is counted. */
  amount: number;
  paths: string[];
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    amount: options.amount,
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % options.paths.length;
          return { ...request, path: options.paths[next] as string };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export function formatLoad(label: string, r: LoadResult): string {
  return `${label.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(5)} ms   p99 ${r.p99
    .toFixed(1)
    .padStart(5)} ms   2xx ${r.ok}   non-2xx ${r.non2xx}   errors ${r.errors}`;
}

/** True when wrk (a C load generator, lighter than autocannon on a small machine) is installed. */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

function wrkMillis(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!match) return NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 's' ? n * 1000 : n;
}

export interface TimedLoadOptions {
  port: number;
  connections: number;
  seconds: number;
  paths: string[];
  headers?: Record<string, string>;
}

/** A Lua table literal of request headers for wrk. */
function luaHeaders(headers: Record<string, string> = {}): string {
  return `{${Object.entries(headers)
    .map(([name, value]) => `[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
    .join(', ')}}`;
}

/** A timed run of wrk, each request to a random one of `paths`. */
export function runWrk(options: TimedLoadOptions): LoadResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-wrk-'));
  const script = path.join(dir, 'paths.lua');
  fs.writeFileSync(
    script,
    `local paths = {${options.paths.map((p) => JSON.stringify(p)).join(',')}}\n` +
      `local headers = ${luaHeaders(options.headers)}\n` +
      'request = function() return wrk.format("GET", paths[math.random(#paths)], headers) end\n',
  );
  const result = spawnSync(
    'wrk',
    ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${options.port}`],
    { encoding: 'utf8' },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  const out = result.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = [...out.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce((sum, m) => sum + Number(m[2]), 0);
  return {
    requests,
    ok: requests - non2xx,
    non2xx,
    errors,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: wrkMillis(/ 50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99: wrkMillis(/ 99%\s+(\S+)/.exec(out)?.[1] ?? ''),
  };
}

export { freePort };
