// The command as it is installed: compiled to dist/ (as `npm install` builds it) and run without
// the TypeScript loader the rest of the suite uses. This is the only test of that form, so it
// proves what only it can: that the compiled server starts its threads (the ping writer) from
// the compiled modules, and takes pings and API calls.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts `bin/lookout.js serve` and resolves with its URL and the printed read-write key. */
async function startCompiled(env: Record<string, string>): Promise<{ url: string; apiKey: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/lookout.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Lookout is listening')) resolve();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: /API key \(read-write\): (\S+)/.exec(output)?.[1] as string,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

beforeAll(() => {
  // The same build `npm install` runs, so that the test never runs an older dist/.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}, 130_000);

describe.each(DIALECTS)('the compiled lookout command on %s', (dialect) => {
  it('takes pings and answers the API', async () => {
    const server = await startCompiled({ DATABASE_URL: await newDatabaseUrl(dialect) });
    try {
      const headers = { 'X-Api-Key': server.apiKey };
      const created = await fetch(`${server.url}/api/v3/checks/`, { method: 'POST', headers, body: JSON.stringify({ name: 'nightly' }) });
      expect(created.status).toBe(201);
      const { uuid } = (await created.json()) as { uuid: string };
      const pings = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/ping/${uuid}`).then((r) => r.text())));
      expect(pings).toEqual(Array.from({ length: 20 }, () => 'OK'));
      const check = (await (await fetch(`${server.url}/api/v3/checks/${uuid}`, { headers })).json()) as { status: string; n_pings: number };
      expect(check).toMatchObject({ status: 'up', n_pings: 20 });
    } finally {
      await server.stop();
    }
  }, 60_000);
});
