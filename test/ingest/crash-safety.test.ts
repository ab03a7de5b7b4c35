// A ping answered 200 is in the database, even if the server is killed the next instant. Lookout
// runs as a real child process, takes a burst of thousands of concurrent pings, and is killed
// with SIGKILL in the middle of it; after a restart on the same database every ping that was
// answered 200 is there, and every check agrees with its pings (no half-written batch).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnLookout } from '../../bench/support.js';
import type { ChildServer } from '../../bench/support.js';
import { openStore } from '../../src/store/database.js';
import type { Store } from '../../src/store/database.js';
import { checkStateProblems } from '../support/check-invariants.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';

const CHECKS = 50;
// 80 pings per check at most: below the 100 at which pruning would start.
const PINGS = 4000;
const KILL_AFTER_ANSWERS = 1500;
const ACTIONS = ['', '/start', '/fail', '/log'];

const run = promisify(execFile);

/** Runs the `lookout` command on the given database and returns what it printed. */
async function lookout(databaseUrl: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return stdout;
}

interface Ping {
  path: string;
  method: 'GET' | 'POST';
  rid: string;
}

/** Sends one ping; true when it was answered 200 "OK" in full. */
function sendPing(agent: http.Agent, port: number, ping: Ping): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      { agent, host: '127.0.0.1', port, method: ping.method, path: `${ping.path}?rid=${ping.rid}` },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(response.statusCode === 200 && body === 'OK'));
        response.on('error', () => resolve(false));
      },
    );
    request.on('error', () => resolve(false));
    request.end(ping.method === 'POST' ? `output of run ${ping.rid}` : undefined);
  });
}

function exited(server: ChildServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.process.exitCode !== null || server.process.signalCode !== null) resolve();
    else server.process.once('exit', () => resolve());
  });
}

describe.each(DIALECTS)('a server killed during a burst of pings on %s', (dialect) => {
  it('keeps every ping it answered 200 and leaves each check agreeing with its pings', async () => {
    const databaseUrl = await newDatabaseUrl(dialect);
    await lookout(databaseUrl, ['admin', 'create-user', '--email', 'crash@example.org', '--password', 'correct horse battery', '--json']);
    const project = JSON.parse(await lookout(databaseUrl, ['admin', 'create-project', '--owner', 'crash@example.org', '--name', 'Crash', '--json'])) as {
      api_key: string;
    };

    let server = await spawnLookout(databaseUrl);
    const servers = [server];
    let store: Store | null = null;
    try {
      const uuids = await Promise.all(
        Array.from({ length: CHECKS }, async (_, i) => {
          const res = await fetch(`http://127.0.0.1:${server.port}/api/v3/checks/`, {
            method: 'POST',
            headers: { 'X-Api-Key': project.api_key },
            body: JSON.stringify({ name: `job ${i}` }),
          });
          expect(res.status).toBe(201);
          return ((await res.json()) as { uuid: string }).uuid;
        }),
      );

      const pings: Ping[] = Array.from({ length: PINGS }, (_, i) => ({
        path: `/ping/${uuids[i % CHECKS]}${ACTIONS[crypto.randomInt(ACTIONS.length)]}`,
        method: i % 3 === 0 ? 'POST' : 'GET',
        rid: crypto.randomUUID(),
      }));
      const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
      const answered: string[] = [];
      const killed = exited(server);
      await Promise.all(
        pings.map(async (ping) => {
          if (!(await sendPing(agent, server.port, ping))) return;
          answered.push(ping.rid);
          if (answered.length === KILL_AFTER_ANSWERS) server.process.kill('SIGKILL');
        }),
      );
      agent.destroy();
      // Had fewer pings been answered than planned, the kill comes now and the checks below fail.
      server.process.kill('SIGKILL');
      await killed;
      // The kill came in the middle of the burst: some pings were answered, some never were.
      expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);
      expect(answered.length).toBeLessThan(PINGS);

      server = await spawnLookout(databaseUrl);
      servers.push(server);
      store = openStore(databaseUrl, { poolSize: 2 });
      const stored = new Set((await store.db.selectFrom('pings').select('rid').execute()).map((p) => p.rid));
      const lost = answered.filter((rid) => !stored.has(rid));
      expect({ answered: answered.length, lost }).toEqual({ answered: answered.length, lost: [] });
      expect(await checkStateProblems(store.db)).toEqual([]);

      // The restarted server carries on where the killed one stopped.
      const after = await fetch(`http://127.0.0.1:${server.port}/ping/${uuids[0]}`);
      expect([after.status, await after.text()]).toEqual([200, 'OK']);
    } finally {
      await store?.close();
      for (const child of servers) if (child.process.exitCode === null && child.process.signalCode === null) await child.stop();
    }
  }, 120_000);
});
