// How pings reach the database when something else happens at the same time: a ping the database
// refuses, API changes racing a stream of pings (on SQLite they come through two connections:
// the writer thread's and the server's), and a writer thread that cannot start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PingRequest } from '../../src/ingest/ping-request.js';
import { ThreadPingWriter } from '../../src/ingest/thread-writer.js';
import type { Store } from '../../src/store/database.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const REFUSED_AGENT = 'refused-by-the-database';

/** A trigger that makes the database itself refuse pings sent with REFUSED_AGENT. */
async function refusePingsFromAgent(store: Store): Promise<void> {
  if (store.dialect === 'sqlite') {
    await sql`create trigger refuse_agent before insert on pings when new.ua = ${sql.lit(REFUSED_AGENT)}
      begin select raise(abort, 'refused by test trigger'); end`.execute(store.db);
    return;
  }
  await sql`create function refuse_agent() returns trigger language plpgsql as $$
    begin if new.ua = ${sql.lit(REFUSED_AGENT)} then raise exception 'refused by test trigger'; end if; return new; end $$`.execute(store.db);
  await sql`create trigger refuse_agent before insert on pings for each row execute function refuse_agent()`.execute(store.db);
}

describe.each(DIALECTS)('ping writes under pressure on %s', (dialect) => {
  let server: TestServer;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  const checkRow = (code: string) => server.store.db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

  async function ping(uuid: string, agent = 'test'): Promise<{ status: number; body: string }> {
    const response = await server.fetch(`/ping/${uuid}`, { headers: { 'user-agent': agent } });
    return { status: response.status, body: await response.text() };
  }

  it('answers 503 for the one ping the database refuses and stores every other ping sent with it', async () => {
    const { uuid } = await server.createCheck(project);
    await refusePingsFromAgent(server.store);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ping(uuid, i === 17 ? REFUSED_AGENT : 'test')));
    expect(answers[17]).toEqual({ status: 503, body: 'service unavailable' });
    expect(answers.filter((answer, i) => i !== 17 && answer.status === 200 && answer.body === 'OK')).toHaveLength(39);
    const row = await checkRow(uuid);
    expect(row.n_pings).toBe(39);
    const stored = await server.store.db.selectFrom('pings').select((eb) => eb.fn.countAll<number>().as('n')).where('check_id', '=', row.id).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(39);
  });

  it('takes API changes while pings stream in, losing neither', async () => {
    const uuids = await Promise.all(Array.from({ length: 4 }, async () => (await server.createCheck(project)).uuid as string));
    const pinging = (async () => {
      const statuses: number[] = [];
      for (let wave = 0; wave < 6; wave++) {
        const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => ping(uuids[i % uuids.length] as string)));
        statuses.push(...answers.map((answer) => answer.status));
      }
      return statuses;
    })();
    const updating = Promise.all(
      uuids.map(async (uuid, c) => {
        const statuses: number[] = [];
        for (let i = 1; i <= 10; i++) {
          const response = await server.fetch(`/api/v3/checks/${uuid}`, {
            method: 'POST',
            headers: { 'X-Api-Key': project.apiKey },
            body: JSON.stringify({ name: `check ${c} rename ${i}`, grace: 60 + i }),
          });
          statuses.push(response.status);
        }
        return statuses;
      }),
    );
    const [pingStatuses, updateStatuses] = await Promise.all([pinging, updating]);
    expect(pingStatuses.filter((status) => status === 200)).toHaveLength(600);
    expect(updateStatuses.flat().filter((status) => status === 200)).toHaveLength(40);
    const rows = await Promise.all(uuids.map(checkRow));
    expect(rows.map((row) => row.n_pings)).toEqual([150, 150, 150, 150]);
    expect(rows.map((row) => [row.name, row.grace])).toEqual(uuids.map((_, c) => [`check ${c} rename 10`, 70]));
    expect(rows.every((row) => row.status === 'up')).toBe(true);
  });

  // On SQLite the writer thread keeps the checks it wrote in memory; these two are what it must
  // not miss: a change another connection commits, and one its own transaction's rules make.
  const flipsOf = async (code: string) =>
    (
      await server.store.db
        .selectFrom('flips')
        .innerJoin('checks', 'checks.id', 'flips.check_id')
        .select(['flips.old_status', 'flips.new_status'])
        .where('checks.code', '=', code)
        .orderBy('flips.id')
        .execute()
    ).map((flip) => `${flip.old_status}->${flip.new_status}`);

  it('sees a change made through the API between two pings of the same check', async () => {
    const { uuid } = await server.createCheck(project);
    expect(await ping(uuid)).toEqual({ status: 200, body: 'OK' });
    const paused = await server.fetch(`/api/v3/checks/${uuid}/pause`, { method: 'POST', headers: { 'X-Api-Key': project.apiKey } });
    expect(paused.status).toBe(200);
    expect(await ping(uuid)).toEqual({ status: 200, body: 'OK' });
    expect(await flipsOf(uuid)).toEqual(['new->up', 'up->paused', 'paused->up']);
    expect(await checkRow(uuid)).toMatchObject({ status: 'up', n_pings: 2 });
  });

  it('keeps the state the run rules left, not the one the ping computed before them', async () => {
    const { uuid } = await server.createCheck(project);
    await server.store.db.updateTable('checks').set({ failure_threshold: 2 }).where('code', '=', uuid).execute();
    await ping(uuid);
    // One failure below the threshold of two: the rules put the check back up.
    expect((await server.fetch(`/ping/${uuid}/fail`)).status).toBe(200);
    expect((await checkRow(uuid)).status).toBe('up');
    // So this success changes nothing; a writer that remembered "down" would record a recovery.
    await ping(uuid);
    expect(await flipsOf(uuid)).toEqual(['new->up']);
    expect(await checkRow(uuid)).toMatchObject({ status: 'up', n_pings: 3 });
  });
});

describe('the ping writer thread', () => {
  const request: PingRequest = {
    route: { target: { by: 'uuid', code: '0b9a7a3e-0b35-4a7c-9a0c-7a4c1b0a2f10' }, action: 'success', exitStatus: null },
    create: false,
    rid: null,
    ridInvalid: false,
    method: 'GET',
    scheme: 'http',
    remoteAddr: '127.0.0.1',
    ua: 'test',
    body: Buffer.alloc(0),
    meta: { runtime: null, memory: null, exitCode: null, failureMessage: null },
    receivedAt: Date.now(),
  };

  it('fails the batch, instead of leaving it waiting, when it cannot open the database', async () => {
    // A directory where the database file should be.
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-writer-'));
    const writer = new ThreadPingWriter(`sqlite:${directory}`);
    try {
      await expect(writer.write([request])).rejects.toThrow(/cannot open the database: unable to open database file/);
      // The next batch tries a new thread, and fails the same way rather than hanging.
      await expect(writer.write([request])).rejects.toThrow(/cannot open the database: unable to open database file/);
    } finally {
      await writer.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
