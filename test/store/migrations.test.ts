// Migrations on both databases: from an empty schema, one release at a time, and from several
// processes at once.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { migrate, openStore } from '../../src/store/database.js';
import { LookoutMigrations } from '../../src/store/migrations/index.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `lookout migrate` in its own process: SQLite connections in one thread would block each other. */
function migrateInChild(databaseUrl: string): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'migrate'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout: stdout + stderr }),
    );
  });
}

/** Table → sorted column names, as the database itself reports them. */
async function schemaOf(store: Store): Promise<Record<string, string[]>> {
  const tables = await store.db.introspection.getTables();
  return Object.fromEntries(
    tables
      .filter((t) => !t.name.startsWith('lookout_migrations'))
      .map((t) => [t.name, t.columns.map((c) => c.name).sort()])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  it('build the whole schema on an empty database and are idempotent', async () => {
    const store = openStore(await newDatabaseUrl(dialect));
    try {
      const applied = await migrate(store);
      expect(applied[0]).toBe('001_initial');
      expect(await migrate(store)).toEqual([]);
      const schema = await schemaOf(store);
      for (const table of ['users', 'projects', 'api_keys', 'checks', 'pings', 'flips', 'channels', 'check_channels', 'settings']) {
        expect(schema).toHaveProperty(table);
      }
    } finally {
      await store.close();
    }
  });

  it('reach the same schema one release at a time as all at once', async () => {
    const stepwise = openStore(await newDatabaseUrl(dialect));
    const direct = openStore(await newDatabaseUrl(dialect));
    try {
      const migrator = new Migrator({
        db: stepwise.db,
        provider: new LookoutMigrations(stepwise.dialect),
        migrationTableName: 'lookout_migrations',
        migrationLockTableName: 'lookout_migrations_lock',
      });
      const names = Object.keys(await new LookoutMigrations(stepwise.dialect).getMigrations());
      for (const name of names) {
        const { error } = await migrator.migrateTo(name);
        expect(error).toBeUndefined();
        // Data written under an older schema must survive the next migration.
        await sql`insert into settings (key, value) values (${`after ${name}`}, 'kept')`.execute(stepwise.db);
      }
      await migrate(direct);
      expect(await schemaOf(stepwise)).toEqual(await schemaOf(direct));
      const kept = await stepwise.db.selectFrom('settings').select('key').execute();
      expect(kept.map((r) => r.key).sort()).toEqual(names.map((n) => `after ${n}`).sort());
    } finally {
      await stepwise.close();
      await direct.close();
    }
  });

  it('can run from several processes at once', async () => {
    const url = await newDatabaseUrl(dialect);
    const runs = await Promise.all([1, 2, 3].map(() => migrateInChild(url)));
    // A failed run's output is part of the comparison, so that a failure says why.
    expect(runs.map((r) => (r.status === 0 ? 0 : r.stdout))).toEqual([0, 0, 0]);
    // Exactly one of them applied the migrations; the others found nothing left to do.
    expect(runs.filter((r) => r.stdout.startsWith('applied:'))).toHaveLength(1);
  });
});
