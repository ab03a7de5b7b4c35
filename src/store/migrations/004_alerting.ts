// Alerting: per-check alert rules and their state, the notification outbox with its delivery
// attempts, what each channel sends for up and down, and which flips were announced.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../dialect.js';
import { addIdColumn, bigintType } from '../dialect.js';

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = bigintType(dialect);
  // SQLite adds one column per ALTER TABLE statement.
  const addColumns = async (table: string, columns: [string, 'integer' | 'bigint', number | null][]) => {
    for (const [name, type, defaultValue] of columns) {
      await db.schema
        .alterTable(table)
        .addColumn(name, type, (c) => (defaultValue === null ? c : c.notNull().defaultTo(defaultValue)))
        .execute();
    }
  };

  await addColumns('checks', [
    // Rules (off by default, so a check behaves as in Healthchecks).
    ['failure_threshold', 'integer', 1],
    ['min_duration', 'integer', null],
    ['reminder_interval', 'integer', null],
    ['flap_threshold', 'integer', null],
    ['flap_window', 'integer', null],
    // State the rules keep between events.
    ['next_reminder_at', big, null],
    ['flap_notified_at', big, null],
  ]);
  // Reminders are found the way deadlines are: the earliest first, through a small index.
  await db.schema
    .createIndex('checks_next_reminder')
    .on('checks')
    .column('next_reminder_at')
    .where(sql.ref('next_reminder_at'), 'is not', null)
    .execute();

  await addColumns('channels', [
    ['send_up', 'integer', 1],
    ['send_down', 'integer', 1],
  ]);

  await addColumns('flips', [['alerted', 'integer', 0]]);
  // Healthchecks announced every earlier change to down, so their recoveries are announced too.
  await db.updateTable('flips').set({ alerted: 1 }).where('new_status', '=', 'down').execute();

  await addIdColumn(dialect, db.schema.createTable('notifications'))
    .addColumn('code', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('check_id', big, (c) => c.references('checks.id').onDelete('cascade'))
    .addColumn('channel_id', big, (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('flip_id', big, (c) => c.references('flips.id').onDelete('set null'))
    .addColumn('status', 'varchar(4)', (c) => c.notNull())
    .addColumn('reason', 'varchar(10)', (c) => c.notNull().defaultTo(''))
    .addColumn('event_at', big, (c) => c.notNull())
    .addColumn('downtime', big)
    .addColumn('created', big, (c) => c.notNull())
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'varchar(8)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('error', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('sent_at', big)
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_until', big)
    .execute();
  // Delivery workers only look at rows still to be sent, earliest first.
  await db.schema
    .createIndex('notifications_due')
    .on('notifications')
    .column('next_attempt_at')
    .where(sql.ref('state'), 'in', ['pending', 'sending'])
    .execute();
  await db.schema.createIndex('notifications_check').on('notifications').columns(['check_id', 'id']).execute();
  await db.schema.createIndex('notifications_channel').on('notifications').columns(['channel_id', 'id']).execute();
  await db.schema.createIndex('notifications_flip').on('notifications').column('flip_id').execute();

  await addIdColumn(dialect, db.schema.createTable('notification_attempts'))
    .addColumn('notification_id', big, (c) => c.notNull().references('notifications.id').onDelete('cascade'))
    .addColumn('started', big, (c) => c.notNull())
    .addColumn('duration', 'integer', (c) => c.notNull())
    .addColumn('error', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('worker', 'varchar(64)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('notification_attempts_notification')
    .on('notification_attempts')
    .column('notification_id')
    .execute();
}
