// The `lookout` command as an operator uses it: admin commands without prompts, migrations, and
// the first start that prints credentials once.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function lookout(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `lookout serve` until it prints that it listens, and returns what it printed. */
async function firstStart(env: Record<string, string>): Promise<{ output: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Lookout is listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return {
    output,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe.each(DIALECTS)('lookout CLI on %s', (dialect) => {
  it('creates users, projects and keys without prompts and prints them as JSON', async () => {
    const env = { DATABASE_URL: await newDatabaseUrl(dialect) };
    const user = lookout(['admin', 'create-user', '--email', 'Ops@Example.org', '--password', 'long enough password', '--json'], env);
    expect(user.status).toBe(0);
    expect(JSON.parse(user.stdout)).toEqual({ email: 'ops@example.org', admin: false });

    const project = lookout(['admin', 'create-project', '--owner', 'ops@example.org', '--name', 'Backups', '--json'], env);
    expect(project.status).toBe(0);
    const created = JSON.parse(project.stdout);
    expect(created.api_key).toMatch(/^lkw_[A-Za-z0-9_-]{28}$/);
    expect(created.api_key_readonly).toMatch(/^lkr_[A-Za-z0-9_-]{28}$/);
    expect(created.ping_key).toMatch(/^[a-z0-9]{22}$/);

    const key = lookout(['admin', 'create-key', '--project', created.project, '--read-only', '--json'], env);
    expect(JSON.parse(key.stdout)).toMatchObject({ project: created.project, read_only: true });

    const list = lookout(['admin', 'list-projects', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([{ project: created.project, name: 'Backups', owner: 'ops@example.org', ping_key: created.ping_key }]);
  });

  it('generates and prints a password when none is given', async () => {
    const env = { DATABASE_URL: await newDatabaseUrl(dialect) };
    const user = lookout(['admin', 'create-user', '--email', 'a@example.org', '--json'], env);
    expect(JSON.parse(user.stdout).password).toMatch(/^[a-z2-9]{20}$/);
  });

  it('explains what is wrong and exits with status 2', async () => {
    const env = { DATABASE_URL: await newDatabaseUrl(dialect) };
    const noOwner = lookout(['admin', 'create-project', '--owner', 'nobody@example.org', '--name', 'x'], env);
    expect(noOwner.status).toBe(2);
    expect(noOwner.stderr).toContain('no user with the email nobody@example.org');
    lookout(['admin', 'create-user', '--email', 'a@example.org', '--password', 'long enough password'], env);
    const twice = lookout(['admin', 'create-user', '--email', 'a@example.org', '--password', 'long enough password'], env);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('exists already');
    const shortPassword = lookout(['admin', 'create-user', '--email', 'b@example.org', '--password', 'short'], env);
    expect(shortPassword.stderr).toContain('at least 8 characters');
  });

  it('migrates an empty database, then reports it up to date', async () => {
    const env = { DATABASE_URL: await newDatabaseUrl(dialect) };
    const first = lookout(['migrate'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^applied: 001_initial/);
    expect(lookout(['migrate'], env).stdout).toBe('the database is up to date\n');
  });

  it('on the first start creates an admin and a project, prints working keys once, and never again', async () => {
    const env = { DATABASE_URL: await newDatabaseUrl(dialect), PORT: String(await freePort()), ADMIN_EMAIL: 'root@example.org' };
    const first = await firstStart(env);
    await first.stop();
    expect(first.output).toContain('Admin user: root@example.org');
    const key = /API key \(read-write\): (\S+)/.exec(first.output)?.[1] as string;
    expect(key).toHaveLength(32);

    const second = await firstStart(env);
    try {
      expect(second.output).not.toContain('API key');
      const response = await fetch(`http://127.0.0.1:${env.PORT}/api/v3/checks/`, { headers: { 'X-Api-Key': key } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ checks: [] });
    } finally {
      await second.stop();
    }
  });

  it('refuses a bad setting at start, naming the variable', async () => {
    const result = lookout(['serve'], { DATABASE_URL: await newDatabaseUrl(dialect), PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT: must be a whole number, got "eighty"');
  });
});
