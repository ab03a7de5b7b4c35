// The `lookout` command: run the server, migrate the database, and administer accounts without
// prompts, so that scripts can set Lookout up.
import { Command, CommanderError } from 'commander';
import { AccountError, Accounts, resolveSecretKey } from '../accounts/service.js';
import { randomString } from '../accounts/secrets.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { startServer } from '../server.js';
import { listProjects } from '../store/accounts.js';
import type { Store } from '../store/database.js';
import { migrate, openStore } from '../store/database.js';

async function withAccounts<T>(fn: (accounts: Accounts, store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = openStore(config.databaseUrl, { poolSize: 2 });
  try {
    await migrate(store);
    const accounts = new Accounts(store, config, await resolveSecretKey(store, config), systemClock);
    return await fn(accounts, store, config);
  } finally {
    await store.close();
  }
}

function print(json: boolean, data: Record<string, unknown>): void {
  if (json) {
    process.stdout.write(JSON.stringify(data) + '\n');
    return;
  }
  for (const [key, value] of Object.entries(data)) process.stdout.write(`${key}: ${String(value)}\n`);
}

const program = new Command();
program.name('lookout').description('Lookout: monitoring for cron jobs and web services.').showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('start the server (configured by environment variables, see README)')
  .action(async () => {
    const config = loadConfig();
    const server = await startServer(config, {
      adminEmail: process.env.ADMIN_EMAIL || 'admin@localhost',
      adminPassword: process.env.ADMIN_PASSWORD || null,
    });
    const stop = async (): Promise<void> => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const config = loadConfig();
    const store = openStore(config.databaseUrl, { poolSize: 1 });
    try {
      const applied = await migrate(store);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
    } finally {
      await store.close();
    }
  });

const admin = program.command('admin').description('manage users, projects and API keys');

admin
  .command('create-user')
  .description('create a user (the password is generated and printed when not given)')
  .requiredOption('--email <email>', 'email address, used to sign in')
  .option('--password <password>', 'password (or set LOOKOUT_PASSWORD)')
  .option('--admin', 'make the user an administrator', false)
  .option('--json', 'print JSON', false)
  .action(async (opts: { email: string; password?: string; admin: boolean; json: boolean }) => {
    await withAccounts(async (accounts) => {
      const password = opts.password ?? process.env.LOOKOUT_PASSWORD ?? randomString(20, 'abcdefghijkmnopqrstuvwxyz23456789');
      const user = await accounts.createUser(opts.email, password, opts.admin);
      print(opts.json, {
        email: user.email,
        admin: user.is_admin === 1,
        ...(opts.password || process.env.LOOKOUT_PASSWORD ? {} : { password }),
      });
    });
  });

admin
  .command('create-project')
  .description('create a project with a read-write and a read-only API key (shown once)')
  .requiredOption('--owner <email>', 'email of the owning user')
  .requiredOption('--name <name>', 'project name')
  .option('--json', 'print JSON', false)
  .action(async (opts: { owner: string; name: string; json: boolean }) => {
    await withAccounts(async (accounts) => {
      const owner = await accounts.findUserByEmail(opts.owner);
      if (!owner) throw new AccountError(`no user with the email ${opts.owner}`);
      const { project, apiKey, apiKeyReadOnly } = await accounts.createProject(owner, opts.name);
      print(opts.json, {
        project: project.code,
        name: project.name,
        ping_key: project.ping_key,
        api_key: apiKey,
        api_key_readonly: apiKeyReadOnly,
      });
    });
  });

admin
  .command('create-key')
  .description('add an API key to a project (shown once)')
  .requiredOption('--project <uuid>', 'project UUID')
  .option('--read-only', 'a read-only key', false)
  .option('--name <name>', 'a label for the key', '')
  .option('--json', 'print JSON', false)
  .action(async (opts: { project: string; readOnly: boolean; name: string; json: boolean }) => {
    await withAccounts(async (accounts) => {
      const project = await accounts.findProject(opts.project);
      if (!project) throw new AccountError(`no project ${opts.project}`);
      const key = await accounts.createApiKey(project, opts.readOnly, opts.name);
      print(opts.json, { project: project.code, read_only: opts.readOnly, api_key: key });
    });
  });

admin
  .command('list-projects')
  .description('list projects with their owners')
  .option('--json', 'print JSON', false)
  .action(async (opts: { json: boolean }) => {
    await withAccounts(async (_accounts, store) => {
      const rows = await listProjects(store.db);
      const list = rows.map((p) => ({ project: p.code, name: p.name, owner: p.owner_email, ping_key: p.ping_key }));
      if (opts.json) process.stdout.write(JSON.stringify(list) + '\n');
      else for (const p of list) process.stdout.write(`${p.project}  ${p.name}  (${p.owner})  ping key ${p.ping_key}\n`);
    });
  });

program.exitOverride();
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError || error instanceof AccountError) {
    process.stderr.write(`lookout: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`lookout: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
