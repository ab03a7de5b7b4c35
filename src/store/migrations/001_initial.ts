// The first schema: accounts, projects and keys, checks with their pings and flips, channels.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../dialect.js';
import { addIdColumn, bigintType, blobType, doubleType, flagColumn } from '../dialect.js';

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = bigintType(dialect);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await addIdColumn(dialect, db.schema.createTable('users'))
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => flagColumn(c, 0))
    .addColumn('check_limit', 'integer', (c) => c.notNull())
    .addColumn('ping_log_limit', 'integer', (c) => c.notNull())
    .addColumn('created', big, (c) => c.notNull())
    .execute();

  await addIdColumn(dialect, db.schema.createTable('projects'))
    .addColumn('code', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('owner_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ping_key', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('badge_key', 'varchar(150)', (c) => c.notNull().unique())
    .addColumn('show_slugs', 'integer', (c) => flagColumn(c, 0))
    .addColumn('created', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_owner').on('projects').column('owner_id').execute();

  await addIdColumn(dialect, db.schema.createTable('api_keys'))
    .addColumn('project_id', big, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('prefix', 'varchar(8)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('read_only', 'integer', (c) => flagColumn(c, 0))
    .addColumn('name', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('created', big, (c) => c.notNull())
    .addColumn('last_used', big)
    .execute();
  await db.schema.createIndex('api_keys_prefix').on('api_keys').column('prefix').execute();
  await db.schema.createIndex('api_keys_project').on('api_keys').column('project_id').execute();

  await addIdColumn(dialect, db.schema.createTable('checks'))
    .addColumn('code', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('project_id', big, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('slug', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'varchar(10)', (c) => c.notNull().defaultTo('simple'))
    .addColumn('timeout', 'integer', (c) => c.notNull().defaultTo(86400))
    .addColumn('grace', 'integer', (c) => c.notNull().defaultTo(3600))
    .addColumn('schedule', 'varchar(100)', (c) => c.notNull().defaultTo('* * * * *'))
    .addColumn('tz', 'varchar(36)', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('filter_subject', 'integer', (c) => flagColumn(c, 0))
    .addColumn('filter_body', 'integer', (c) => flagColumn(c, 0))
    .addColumn('filter_http_body', 'integer', (c) => flagColumn(c, 0))
    .addColumn('filter_default_fail', 'integer', (c) => flagColumn(c, 0))
    .addColumn('start_kw', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('success_kw', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('failure_kw', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('methods', 'varchar(30)', (c) => c.notNull().defaultTo(''))
    .addColumn('manual_resume', 'integer', (c) => flagColumn(c, 0))
    .addColumn('badge_key', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('ping_code', 'varchar(8)', (c) => c.notNull().unique())
    .addColumn('n_pings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_ping', big)
    .addColumn('last_start', big)
    .addColumn('last_start_rid', 'varchar(36)')
    .addColumn('last_duration', big)
    .addColumn('last_success', big)
    .addColumn('last_fail', big)
    .addColumn('last_exit_code', 'integer')
    .addColumn('has_confirmation_link', 'integer', (c) => flagColumn(c, 0))
    .addColumn('alert_after', big)
    .addColumn('status', 'varchar(6)', (c) => c.notNull().defaultTo('new'))
    .addColumn('max_duration', 'integer')
    .addColumn('alert_on_missed', 'integer', (c) => flagColumn(c, 1))
    .addColumn('alert_on_fail', 'integer', (c) => flagColumn(c, 1))
    .addColumn('alert_on_stuck', 'integer', (c) => flagColumn(c, 1))
    .addColumn('alert_on_long', 'integer', (c) => flagColumn(c, 0))
    .addColumn('created', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('checks_project_slug').on('checks').columns(['project_id', 'slug']).execute();
  // The detector only ever looks for checks that are not down yet, ordered by deadline.
  await db.schema
    .createIndex('checks_alert_after_not_down')
    .on('checks')
    .column('alert_after')
    .where(sql.ref('status'), '<>', 'down')
    .execute();

  await addIdColumn(dialect, db.schema.createTable('pings'))
    .addColumn('check_id', big, (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('created', big, (c) => c.notNull())
    .addColumn('kind', 'varchar(6)')
    .addColumn('scheme', 'varchar(10)', (c) => c.notNull())
    .addColumn('remote_addr', 'varchar(45)')
    .addColumn('method', 'varchar(10)', (c) => c.notNull())
    .addColumn('ua', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', blobType(dialect))
    .addColumn('rid', 'varchar(36)')
    .addColumn('exit_status', 'integer')
    .addColumn('duration', big)
    .addColumn('runtime', doubleType(dialect))
    .addColumn('memory', big)
    .addColumn('failure_message', 'text')
    .execute();
  await db.schema.createIndex('pings_check_n').on('pings').columns(['check_id', 'n']).execute();

  await addIdColumn(dialect, db.schema.createTable('flips'))
    .addColumn('check_id', big, (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('created', big, (c) => c.notNull())
    .addColumn('processed', big)
    .addColumn('old_status', 'varchar(8)', (c) => c.notNull())
    .addColumn('new_status', 'varchar(8)', (c) => c.notNull())
    .addColumn('reason', 'varchar(8)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('flips_check_created').on('flips').columns(['check_id', 'created']).execute();
  await db.schema
    .createIndex('flips_not_processed')
    .on('flips')
    .column('id')
    .where(sql.ref('processed'), 'is', null)
    .execute();

  await addIdColumn(dialect, db.schema.createTable('channels'))
    .addColumn('code', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('project_id', big, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email_verified', 'integer', (c) => flagColumn(c, 0))
    .addColumn('disabled', 'integer', (c) => flagColumn(c, 0))
    .addColumn('last_notify', big)
    .addColumn('last_notify_duration', 'integer')
    .addColumn('last_error', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('created', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_project').on('channels').column('project_id').execute();

  await db.schema
    .createTable('check_channels')
    .addColumn('check_id', big, (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('channel_id', big, (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('check_channels_pk', ['check_id', 'channel_id'])
    .execute();
  await db.schema.createIndex('check_channels_channel').on('check_channels').column('channel_id').execute();
}
