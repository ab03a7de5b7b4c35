// Migration 006 (a notification's link to its flip removed) on both databases, from the schema
// just before it with a delivered notification, its attempt and its flip in it.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/store/database.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { migrateToJustBefore } from '../support/migrations.js';

describe.each(DIALECTS)('migration 006_notification_flip on %s', (dialect) => {
  it('drops flip_id and its index and keeps every notification, attempt and flip', async () => {
    const store = openStore(await newDatabaseUrl(dialect));
    try {
      await migrateToJustBefore(store, '006_notification_flip');

      // Rows written under the older schema, with raw SQL: its tables are not the current ones.
      const db = store.db;
      const one = async <T>(query: ReturnType<typeof sql<T>>): Promise<T> => (await query.execute(db)).rows[0] as T;
      const user = await one<{ id: number }>(
        sql`insert into users (email, password_hash, is_admin, check_limit, ping_log_limit, created) values ('old@example.org', 'x', 0, 20, 100, 1) returning id`,
      );
      const project = await one<{ id: number }>(
        sql`insert into projects (code, name, owner_id, ping_key, badge_key, show_slugs, created) values ('p', 'old', ${user.id}, 'k', 'b', 0, 1) returning id`,
      );
      const check = await one<{ id: number }>(
        sql`insert into checks (code, project_id, badge_key, ping_code, created) values ('c', ${project.id}, 'bk', 'AAAAAAAA', 1) returning id`,
      );
      const channel = await one<{ id: number }>(
        sql`insert into channels (code, project_id, kind, value, created) values ('ch', ${project.id}, 'webhook', '{}', 1) returning id`,
      );
      const flip = await one<{ id: number }>(
        sql`insert into flips (check_id, created, old_status, new_status, reason, processed, alerted) values (${check.id}, 5, 'up', 'down', 'timeout', 5, 1) returning id`,
      );
      const notification = await one<{ id: number }>(
        sql`insert into notifications (code, check_id, channel_id, flip_id, status, reason, event_at, created, next_attempt_at, attempts, state, sent_at)
            values ('n', ${check.id}, ${channel.id}, ${flip.id}, 'down', 'timeout', 5, 5, 6, 1, 'sent', 6) returning id`,
      );
      await sql`insert into notification_attempts (notification_id, started, duration, error, worker) values (${notification.id}, 6, 12, '', 'w')`.execute(db);

      expect(await migrate(store)).toEqual(['006_notification_flip']);

      const columns = (await db.introspection.getTables()).find((t) => t.name === 'notifications')?.columns.map((c) => c.name);
      expect(columns).toContain('event_at');
      expect(columns).not.toContain('flip_id');
      const indexes =
        dialect === 'sqlite'
          ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'notifications'`.execute(db)
          : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'notifications'`.execute(db);
      expect(indexes.rows.map((r) => r.name)).not.toContain('notifications_flip');

      const kept = await db.selectFrom('notifications').selectAll().executeTakeFirstOrThrow();
      expect(kept).toMatchObject({ code: 'n', check_id: check.id, channel_id: channel.id, status: 'down', event_at: 5, state: 'sent', sent_at: 6 });
      expect(await db.selectFrom('notification_attempts').select(['notification_id', 'duration']).execute()).toEqual([
        { notification_id: notification.id, duration: 12 },
      ]);
      expect(await db.selectFrom('flips').select('id').execute()).toHaveLength(1);

      // The foreign keys that remain still cascade: removing the check removes its flips and notifications.
      await db.deleteFrom('checks').where('id', '=', check.id).execute();
      expect(await db.selectFrom('flips').select('id').execute()).toEqual([]);
      expect(await db.selectFrom('notifications').select('id').execute()).toEqual([]);
      expect(await db.selectFrom('notification_attempts').select('id').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
