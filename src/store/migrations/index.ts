// Forward-only, numbered migrations. A new migration is a new file here and a new entry below;
// shipped migrations are never edited.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../dialect.js';
import * as m001 from './001_initial.js';
import * as m003 from './003_servers.js';
import * as m004 from './004_alerting.js';
import * as m005 from './005_check_list_index.js';
import * as m006 from './006_notification_flip.js';

interface DialectMigration {
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

const MIGRATIONS: Record<string, DialectMigration> = {
  '001_initial': m001,
  '003_servers': m003,
  '004_alerting': m004,
  '005_check_list_index': m005,
  '006_notification_flip': m006,
};

export class LookoutMigrations implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, migration] of Object.entries(MIGRATIONS)) {
      out[name] = { up: (db) => migration.up(db, this.dialect) };
    }
    return out;
  }
}
