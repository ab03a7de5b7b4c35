// Migration 003 (servers) on both databases, from the schema just before it with data in it.
import { describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/store/database.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { migrateToJustBefore } from '../support/migrations.js';

describe.each(DIALECTS)('migration 003_servers on %s', (dialect) => {
  it('adds servers and a nullable server_id to existing checks', async () => {
    const store = openStore(await newDatabaseUrl(dialect));
    try {
      await migrateToJustBefore(store, '003_servers');

      const db = store.db;
      const user = await db
        .insertInto('users')
        .values({ email: 'old@example.org', password_hash: 'x', is_admin: 0, check_limit: 20, ping_log_limit: 100, created: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const project = await db
        .insertInto('projects')
        .values({ code: 'p', name: 'old', owner_id: user.id, ping_key: 'k', badge_key: 'b', show_slugs: 0, created: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Only the columns the older schema has.
      await db.insertInto('checks').values({ code: 'c', project_id: project.id, badge_key: 'bk', ping_code: 'AAAAAAAA', created: 1 } as never).execute();

      expect(await migrate(store)).toContain('003_servers');
      const check = await db.selectFrom('checks').selectAll().where('code', '=', 'c').executeTakeFirstOrThrow();
      expect(check.server_id).toBeNull();

      const server = await db
        .insertInto('servers')
        .values({ project_id: project.id, hostname: 'cron-01', created: 2 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.updateTable('checks').set({ server_id: server.id }).where('code', '=', 'c').execute();
      await expect(db.insertInto('servers').values({ project_id: project.id, hostname: 'cron-01', created: 3 }).execute()).rejects.toThrow();

      // Removing a server unlinks its checks; removing the project removes its servers.
      await db.deleteFrom('servers').where('id', '=', server.id).execute();
      expect((await db.selectFrom('checks').select('server_id').where('code', '=', 'c').executeTakeFirstOrThrow()).server_id).toBeNull();
      await db.insertInto('servers').values({ project_id: project.id, hostname: 'cron-02', created: 4 }).execute();
      await db.deleteFrom('projects').where('id', '=', project.id).execute();
      expect(await db.selectFrom('servers').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
