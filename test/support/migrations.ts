// A store whose schema stops just before one migration, for tests that write data under the older
// schema and then run that migration over it.
import { Migrator } from 'kysely';
import type { Store } from '../../src/store/database.js';
import { LookoutMigrations } from '../../src/store/migrations/index.js';

export async function migrateToJustBefore(store: Store, migration: string): Promise<void> {
  const provider = new LookoutMigrations(store.dialect);
  const names = Object.keys(await provider.getMigrations()).sort();
  const index = names.indexOf(migration);
  if (index < 1) throw new Error(`no migration before ${migration}`);
  const migrator = new Migrator({
    db: store.db,
    provider,
    migrationTableName: 'lookout_migrations',
    migrationLockTableName: 'lookout_migrations_lock',
  });
  const { error } = await migrator.migrateTo(names[index - 1] as string);
  if (error) throw error;
}
