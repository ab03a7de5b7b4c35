// Many checks in one project, written straight to the store in one transaction, with a mix of
// kinds, states, tags, channels and pings, for tests and benchmarks that need volume.
import { newUuid } from '../../src/accounts/secrets.js';
import { newCheckRow } from '../../src/checks/new-check.js';
import type { Store } from '../../src/store/database.js';
import { insertPings } from '../../src/store/pings.js';
import type { NewCheck, NewPing } from '../../src/store/schema.js';

const ROWS_PER_STATEMENT = 200;

export interface SeedOptions {
  checks: number;
  channels?: number;
  /** Pings of the first check (the one whose log is read). */
  pings?: number;
  now?: number;
}

/** Returns the UUID of the first check, which holds the pings. */
export async function seedChecks(store: Store, projectId: number, options: SeedOptions): Promise<string> {
  const now = options.now ?? Date.now();
  return store.db.transaction().execute(async (trx) => {
    const channelIds: number[] = [];
    for (let i = 0; i < (options.channels ?? 3); i++) {
      const row = await trx
        .insertInto('channels')
        .values({ code: newUuid(), project_id: projectId, name: `channel ${i}`, kind: 'email', created: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      channelIds.push(row.id);
    }
    const rows: NewCheck[] = Array.from({ length: options.checks }, (_, i) =>
      newCheckRow(projectId, now, {
        name: `check ${i}`,
        slug: `check-${i}`,
        tags: i % 2 === 0 ? 'prod backup' : 'staging',
        // Every row names every column: SQLite has no DEFAULT inside a multi-row VALUES list.
        kind: i % 10 === 0 ? 'cron' : 'simple',
        schedule: i % 10 === 0 ? '*/15 * * * *' : '* * * * *',
        tz: i % 10 === 0 ? 'Europe/Riga' : 'UTC',
        status: i % 3 === 0 ? 'up' : 'new',
        last_ping: i % 3 === 0 ? now - 60_000 : null,
        n_pings: i % 3 === 0 ? 1 : 0,
      }),
    );
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const inserted = await trx.insertInto('checks').values(rows.slice(i, i + ROWS_PER_STATEMENT)).returning('id').execute();
      ids.push(...inserted.map((r) => r.id));
    }
    const links = ids.flatMap((checkId, i) => channelIds.slice(0, 1 + (i % channelIds.length)).map((channelId) => ({ check_id: checkId, channel_id: channelId })));
    for (let i = 0; i < links.length; i += ROWS_PER_STATEMENT * 2) {
      await trx.insertInto('check_channels').values(links.slice(i, i + ROWS_PER_STATEMENT * 2)).execute();
    }
    const first = ids[0] as number;
    const pingCount = options.pings ?? 100;
    const pings: NewPing[] = Array.from({ length: pingCount }, (_, i) => ({
      check_id: first, n: i + 1, created: now - (pingCount - i) * 30_000, kind: i % 2 === 0 ? 'start' : null,
      scheme: 'http', remote_addr: '192.0.2.1', method: 'POST', ua: 'curl/8.0', body: i % 4 === 1 ? Buffer.from(`run ${i} ok`) : null,
      rid: null, exit_status: null, duration: null, runtime: null, memory: null, failure_message: null,
    }));
    await insertPings(trx, pings);
    await trx.updateTable('checks').set({ n_pings: pingCount }).where('id', '=', first).execute();
    return rows[0]?.code as string;
  });
}
