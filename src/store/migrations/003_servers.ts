// Servers (the machines cron jobs run on, from the Boxwatch Cron Checks API) and the optional
// link from a check to its server.
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';
import { addIdColumn, bigintType } from '../dialect.js';

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = bigintType(dialect);

  await addIdColumn(dialect, db.schema.createTable('servers'))
    .addColumn('project_id', big, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('hostname', 'varchar(253)', (c) => c.notNull())
    .addColumn('created', big, (c) => c.notNull())
    .execute();
  // One row per hostname and project: registering a server twice finds the first one.
  await db.schema.createIndex('servers_project_hostname').on('servers').columns(['project_id', 'hostname']).unique().execute();

  await db.schema
    .alterTable('checks')
    .addColumn('server_id', big, (c) => c.references('servers.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('checks_server').on('checks').column('server_id').execute();
}
