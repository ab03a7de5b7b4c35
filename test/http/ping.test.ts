// The ping protocol through real HTTP, on both databases: every URL form, status code and body of
// spec §1, and what each ping does to its check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRow, PingRow } from '../../src/store/schema.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

describe.each(DIALECTS)('ping API on %s', (dialect) => {
  let server: TestServer;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function checkRow(code: string): Promise<CheckRow> {
    return server.store.db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  }

  async function pingsOf(code: string): Promise<PingRow[]> {
    const check = await checkRow(code);
    return server.store.db.selectFrom('pings').selectAll().where('check_id', '=', check.id).orderBy('n').execute();
  }

  async function newCheck(fields: Record<string, unknown> = {}): Promise<string> {
    return (await server.createCheck(project, fields)).uuid as string;
  }

  async function ping(path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
    const response = await server.fetch(path, init);
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  describe('UUID URLs', () => {
    it('records a success and answers 200 OK with CORS, no-cache and Ping-Body-Limit headers', async () => {
      const uuid = await newCheck();
      const res = await ping(`/ping/${uuid}`);
      expect(res.status).toBe(200);
      expect(res.body).toBe('OK');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('ping-body-limit')).toBe('10000');
      expect(res.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
      const row = await checkRow(uuid);
      expect(row.status).toBe('up');
      expect(row.n_pings).toBe(1);
      expect(row.last_ping).not.toBeNull();
      const [stored] = await pingsOf(uuid);
      expect(stored).toMatchObject({ n: 1, kind: null, method: 'GET', scheme: 'http', remote_addr: '127.0.0.1' });
    });

    it('accepts a trailing slash after the UUID', async () => {
      const uuid = await newCheck();
      expect(await ping(`/ping/${uuid}/`)).toMatchObject({ status: 200, body: 'OK' });
    });

    it('records start, fail and log pings with their kinds', async () => {
      const uuid = await newCheck();
      for (const action of ['start', 'fail', 'log']) {
        expect(await ping(`/ping/${uuid}/${action}`)).toMatchObject({ status: 200, body: 'OK' });
      }
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual(['start', 'fail', 'log']);
      expect((await checkRow(uuid)).status).toBe('down');
    });

    it('maps exit status 0 to success and 1..255 to failure, storing the status', async () => {
      const uuid = await newCheck();
      expect((await ping(`/ping/${uuid}/0`)).status).toBe(200);
      expect((await checkRow(uuid)).status).toBe('up');
      expect((await ping(`/ping/${uuid}/255`)).status).toBe(200);
      expect((await checkRow(uuid)).status).toBe('down');
      const pings = await pingsOf(uuid);
      expect(pings.map((p) => [p.kind, p.exit_status])).toEqual([
        [null, 0],
        ['fail', 255],
      ]);
    });

    it('answers 400 "invalid url format" for an exit status above 255 and records nothing', async () => {
      const uuid = await newCheck();
      expect(await ping(`/ping/${uuid}/256`)).toMatchObject({ status: 400, body: 'invalid url format' });
      expect(await ping(`/ping/${uuid}/99999999999999999999999`)).toMatchObject({ status: 400, body: 'invalid url format' });
      expect(await pingsOf(uuid)).toHaveLength(0);
    });

    it('looks the check up before validating the exit status', async () => {
      expect(await ping('/ping/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/256')).toMatchObject({ status: 404, body: 'not found' });
    });

    it('answers 404 "not found" for an unknown UUID, with no-cache but no CORS header', async () => {
      const res = await ping('/ping/6f2a1d3e-0f4b-4c1a-9d2e-000000000000');
      expect(res).toMatchObject({ status: 404, body: 'not found' });
      expect(res.headers.get('cache-control')).toContain('no-cache');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it.each([
      ['an uppercase UUID', (u: string) => `/ping/${u.toUpperCase()}`],
      ['a UUID without dashes', (u: string) => `/ping/${u.replace(/-/g, '')}/`],
      ['a trailing slash after an action', (u: string) => `/ping/${u}/start/`],
      ['an unknown action', (u: string) => `/ping/${u}/foo`],
      ['a negative exit status', (u: string) => `/ping/${u}/-1`],
      ['a word that is not a UUID', () => '/ping/not-uuid/'],
    ])('answers 404 for %s', async (_label, path) => {
      const uuid = await newCheck();
      const res = await ping(path(uuid));
      expect(res.status).toBe(404);
      expect(await pingsOf(uuid)).toHaveLength(0);
    });

    it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'])('records a %s request with its method', async (method) => {
      const uuid = await newCheck();
      const res = await server.fetch(`/ping/${uuid}`, { method });
      expect(res.status).toBe(200);
      expect((await pingsOf(uuid))[0]?.method).toBe(method);
    });
  });

  describe('slug URLs', () => {
    it('pings a check by project ping key and slug, including the action suffixes', async () => {
      const uuid = await newCheck({ name: 'Nightly', slug: 'nightly' });
      expect(await ping(`/ping/${project.pingKey}/nightly`)).toMatchObject({ status: 200, body: 'OK' });
      expect((await ping(`/ping/${project.pingKey}/nightly/start`)).status).toBe(200);
      expect((await ping(`/ping/${project.pingKey}/nightly/1`)).status).toBe(200);
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual([null, 'start', 'fail']);
    });

    it('treats /ping/<key>/fail as a success ping for the check whose slug is "fail"', async () => {
      const uuid = await newCheck({ slug: 'fail' });
      expect((await ping(`/ping/${project.pingKey}/fail`)).status).toBe(200);
      expect((await checkRow(uuid)).status).toBe('up');
    });

    it('refuses uppercase letters in a slug with 400 before any lookup', async () => {
      const res = await ping(`/ping/${project.pingKey}/Nightly`);
      expect(res).toMatchObject({ status: 400, body: 'invalid url format' });
      expect(res.headers.get('cache-control')).toBeNull();
    });

    it('answers 404 for an unknown slug or ping key, without extra headers', async () => {
      const res = await ping(`/ping/${project.pingKey}/no-such-slug`);
      expect(res).toMatchObject({ status: 404, body: 'not found' });
      expect(res.headers.get('cache-control')).toBeNull();
      expect((await ping('/ping/nosuchpingkey000000000/x')).status).toBe(404);
    });

    it('answers 404 for a trailing slash after the slug', async () => {
      await newCheck({ slug: 'trailing' });
      expect((await ping(`/ping/${project.pingKey}/trailing/`)).status).toBe(404);
    });

    it('answers 409 "ambiguous slug" when two checks share the slug, recording nothing', async () => {
      const a = await newCheck({ slug: 'twice' });
      await newCheck({ slug: 'twice' });
      expect(await ping(`/ping/${project.pingKey}/twice`)).toMatchObject({ status: 409, body: 'ambiguous slug' });
      expect(await pingsOf(a)).toHaveLength(0);
    });

    it('creates a missing check with ?create=1 and answers 201 Created', async () => {
      const res = await ping(`/ping/${project.pingKey}/made-by-ping?create=1`);
      expect(res).toMatchObject({ status: 201, body: 'Created' });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const row = await server.store.db
        .selectFrom('checks')
        .selectAll()
        .where('slug', '=', 'made-by-ping')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: 'made-by-ping', kind: 'simple', timeout: 86400, grace: 3600, status: 'up', n_pings: 1 });
      // The second ping finds the check and answers 200.
      expect(await ping(`/ping/${project.pingKey}/made-by-ping?create=1`)).toMatchObject({ status: 200, body: 'OK' });
    });

    it('does not create a check unless create is exactly "1"', async () => {
      expect((await ping(`/ping/${project.pingKey}/not-made?create=true`)).status).toBe(404);
    });

    it('creates nothing when the auto-provisioning ping is itself invalid', async () => {
      expect(await ping(`/ping/${project.pingKey}/bad-rid?create=1&rid=nope`)).toMatchObject({ status: 400, body: 'invalid uuid format' });
      expect(await ping(`/ping/${project.pingKey}/bad-exit/300?create=1`)).toMatchObject({ status: 400, body: 'invalid url format' });
      const rows = await server.store.db.selectFrom('checks').select('slug').where('slug', 'in', ['bad-rid', 'bad-exit']).execute();
      expect(rows).toEqual([]);
    });

    it('refuses auto-provisioning past twice the owner check limit', async () => {
      const limited = await server.newProject('limited');
      await server.store.db.updateTable('users').set({ check_limit: 1 }).where('id', '=', limited.project.owner_id).execute();
      expect((await ping(`/ping/${limited.pingKey}/one?create=1`)).status).toBe(201);
      expect((await ping(`/ping/${limited.pingKey}/two?create=1`)).status).toBe(201);
      expect(await ping(`/ping/${limited.pingKey}/three?create=1`)).toMatchObject({ status: 404, body: 'not found' });
    });

    it('assigns all of the project channels to an auto-provisioned check', async () => {
      const own = await server.newProject('with channels');
      const channel = await server.store.db
        .insertInto('channels')
        .values({ code: crypto.randomUUID(), project_id: own.project.id, kind: 'email', value: 'a@example.org', created: Date.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect((await ping(`/ping/${own.pingKey}/with-channels?create=1`)).status).toBe(201);
      const assigned = await server.store.db
        .selectFrom('check_channels')
        .innerJoin('checks', 'checks.id', 'check_channels.check_id')
        .where('checks.slug', '=', 'with-channels')
        .select('check_channels.channel_id')
        .execute();
      expect(assigned).toEqual([{ channel_id: channel.id }]);
    });
  });

  describe('short ping codes', () => {
    it('pings a check by its 8-character code with every suffix', async () => {
      const uuid = await newCheck();
      const { ping_code: code } = await checkRow(uuid);
      expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
      for (const suffix of ['', '/start', '/log', '/fail', '/0']) {
        expect(await ping(`/ping/${code}${suffix}`)).toMatchObject({ status: 200, body: 'OK' });
      }
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual([null, 'start', 'log', 'fail', null]);
    });

    it('answers 404 for an unknown code', async () => {
      expect(await ping('/ping/ZZZZ9999')).toMatchObject({ status: 404, body: 'not found' });
    });
  });

  describe('request details', () => {
    it('keeps the body up to PING_BODY_LIMIT bytes for any method', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'x'.repeat(20_000) });
      await ping(`/ping/${uuid}/log`, { method: 'PUT', body: 'hello' });
      const [first, second] = await pingsOf(uuid);
      expect(first?.body?.length).toBe(10_000);
      expect(second?.body?.toString()).toBe('hello');
    });

    it('stores the body bytes exactly, invalid UTF-8 included', async () => {
      const uuid = await newCheck();
      const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]);
      expect((await ping(`/ping/${uuid}`, { method: 'POST', body: bytes })).status).toBe(200);
      expect(Buffer.compare((await pingsOf(uuid))[0]?.body as Buffer, bytes)).toBe(0);
    });

    it('stores the user agent cut to 200 characters', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}`, { headers: { 'user-agent': 'a'.repeat(300) } });
      expect((await pingsOf(uuid))[0]?.ua).toBe('a'.repeat(200));
    });

    it('ignores X-Forwarded-For and X-Forwarded-Proto from proxies it does not trust', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}`, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' } });
      expect((await pingsOf(uuid))[0]).toMatchObject({ remote_addr: '127.0.0.1', scheme: 'http' });
    });

    it('accepts a run id in any case, stores it lowercase, and refuses a malformed one', async () => {
      const uuid = await newCheck();
      const rid = '123E4567-E89B-12D3-A456-426614174000';
      expect((await ping(`/ping/${uuid}/start?rid=${rid}`)).status).toBe(200);
      expect((await pingsOf(uuid))[0]?.rid).toBe(rid.toLowerCase());
      expect(await ping(`/ping/${uuid}?rid=not-a-uuid`)).toMatchObject({ status: 400, body: 'invalid uuid format' });
      expect(await ping(`/ping/${uuid}?rid=`)).toMatchObject({ status: 400, body: 'invalid uuid format' });
      expect(await pingsOf(uuid)).toHaveLength(1);
    });

    it('answers 404 rather than 400 for an unknown check with a malformed run id', async () => {
      expect((await ping('/ping/6f2a1d3e-0f4b-4c1a-9d2e-000000000000?rid=bad')).status).toBe(404);
    });
  });

  describe('what a ping does to its check', () => {
    it('measures the duration from start to success and stores it on the check and the ping', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}/start`);
      await new Promise((r) => setTimeout(r, 20));
      await ping(`/ping/${uuid}`);
      const row = await checkRow(uuid);
      expect(row.last_start).toBeNull();
      expect(row.last_duration).toBeGreaterThanOrEqual(20);
      expect((await pingsOf(uuid))[1]?.duration).toBe(row.last_duration);
    });

    it('pairs a start with a completion only when their run ids match', async () => {
      const uuid = await newCheck();
      const a = '00000000-0000-4000-8000-00000000000a';
      const b = '00000000-0000-4000-8000-00000000000b';
      await ping(`/ping/${uuid}/start?rid=${a}`);
      await ping(`/ping/${uuid}?rid=${b}`);
      let row = await checkRow(uuid);
      expect(row.last_start).not.toBeNull();
      expect(row.last_duration).toBeNull();
      await ping(`/ping/${uuid}?rid=${a}`);
      row = await checkRow(uuid);
      expect(row.last_start).toBeNull();
      expect(row.last_duration).not.toBeNull();
    });

    it('leaves status and last ping alone for start and log pings', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}/start`);
      await ping(`/ping/${uuid}/log`);
      const row = await checkRow(uuid);
      expect(row).toMatchObject({ status: 'new', last_ping: null, n_pings: 2 });
      expect(row.last_start).not.toBeNull();
    });

    it('writes a flip for every status change and none otherwise', async () => {
      const uuid = await newCheck();
      for (const path of ['', '', '/fail', '/fail', '']) await ping(`/ping/${uuid}${path}`);
      const check = await checkRow(uuid);
      const flips = await server.store.db
        .selectFrom('flips')
        .select(['old_status', 'new_status', 'reason'])
        .where('check_id', '=', check.id)
        .orderBy('id')
        .execute();
      expect(flips).toEqual([
        { old_status: 'new', new_status: 'up', reason: '' },
        { old_status: 'up', new_status: 'down', reason: 'fail' },
        { old_status: 'down', new_status: 'up', reason: '' },
      ]);
    });

    it('ignores pings that are not POST when the check accepts only POST', async () => {
      const uuid = await newCheck({ methods: 'POST' });
      await ping(`/ping/${uuid}/fail`);
      expect((await checkRow(uuid)).status).toBe('new');
      await ping(`/ping/${uuid}`, { method: 'POST' });
      expect((await checkRow(uuid)).status).toBe('up');
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual(['ign', null]);
    });

    it('classifies the body by keywords, overriding the URL', async () => {
      const uuid = await newCheck({ filter_http_body: true, success_kw: 'SUCCESS', failure_kw: 'ERROR, FATAL', start_kw: 'BEGIN' });
      await ping(`/ping/${uuid}/fail`, { method: 'POST', body: 'all SUCCESS' });
      expect((await checkRow(uuid)).status).toBe('up');
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'a FATAL problem' });
      expect((await checkRow(uuid)).status).toBe('down');
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'BEGIN' });
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'nothing to see' });
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual([null, 'fail', 'start', 'ign']);
    });

    it('matches keywords in a body that is not valid UTF-8 instead of failing', async () => {
      const uuid = await newCheck({ filter_http_body: true, failure_kw: 'ERROR' });
      const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' ERROR')]);
      expect((await ping(`/ping/${uuid}`, { method: 'POST', body })).status).toBe(200);
      expect((await checkRow(uuid)).status).toBe('down');
    });

    it('fails by default when no keyword matches and filter_default_fail is on', async () => {
      const uuid = await newCheck({ filter_http_body: true, success_kw: 'OK', filter_default_fail: true });
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'hmm' });
      expect((await checkRow(uuid)).status).toBe('down');
    });

    it('records every ping of a manually-resumed paused check as ignored', async () => {
      const uuid = await newCheck({ manual_resume: true });
      await server.store.db.updateTable('checks').set({ status: 'paused' }).where('code', '=', uuid).execute();
      await ping(`/ping/${uuid}`);
      await ping(`/ping/${uuid}/start`);
      const row = await checkRow(uuid);
      expect(row).toMatchObject({ status: 'paused', last_start: null, last_ping: null });
      expect((await pingsOf(uuid)).map((p) => p.kind)).toEqual(['ign', 'ign']);
    });

    it('unpauses a paused check on its next ping when manual resume is off', async () => {
      const uuid = await newCheck();
      await server.store.db.updateTable('checks').set({ status: 'paused' }).where('code', '=', uuid).execute();
      await ping(`/ping/${uuid}`);
      expect((await checkRow(uuid)).status).toBe('up');
    });

    it('notes a confirmation link in the body', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}`, { method: 'POST', body: 'Please Confirm your subscription' });
      expect((await checkRow(uuid)).has_confirmation_link).toBe(1);
    });

    it('numbers pings per check; the API shows what the log keeps, and pruning catches up with the rest', async () => {
      // A server of its own, restarted on the same database: the writer prunes a stretch of the
      // log on its first batch, and otherwise only every few thousand pings.
      const url = await newDatabaseUrl(dialect);
      const first = await startTestServer(dialect, { env: { DATABASE_URL: url } });
      let uuid: string;
      try {
        const own = await first.newProject('pruning');
        await first.store.db.updateTable('users').set({ ping_log_limit: 10 }).where('id', '=', own.project.owner_id).execute();
        uuid = (await first.createCheck(own, {})).uuid as string;
        for (let i = 0; i < 100; i++) await first.fetch(`/ping/${uuid}/log`);
        const listed = await first.fetch(`/api/v3/checks/${uuid}/pings/`, { headers: { 'X-Api-Key': own.apiKey } });
        expect(((await listed.json()) as { pings: { n: number }[] }).pings.map((p) => p.n)).toEqual(
          Array.from({ length: 10 }, (_, i) => 100 - i),
        );
        const stored = await first.store.db.selectFrom('pings').select('n').innerJoin('checks', 'checks.id', 'pings.check_id').where('checks.code', '=', uuid).execute();
        expect(stored).toHaveLength(100);
      } finally {
        await first.close();
      }
      const second = await startTestServer(dialect, { env: { DATABASE_URL: url } });
      try {
        expect((await second.fetch(`/ping/${uuid}/log`)).status).toBe(200);
        const stored = await second.store.db
          .selectFrom('pings')
          .select('n')
          .innerJoin('checks', 'checks.id', 'pings.check_id')
          .where('checks.code', '=', uuid)
          .orderBy('n')
          .execute();
        expect(stored.map((row) => row.n)).toEqual(Array.from({ length: 10 }, (_, i) => 92 + i));
        const row = await second.store.db.selectFrom('checks').select('n_pings').where('code', '=', uuid).executeTakeFirstOrThrow();
        expect(row.n_pings).toBe(101);
      } finally {
        await second.close();
      }
    });
  });

  describe('run metadata', () => {
    it('stores runtime, memory, exit_code and failure_message from the query string', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}?runtime=45.2&exit_code=0&memory=104857600`);
      expect((await pingsOf(uuid))[0]).toMatchObject({ runtime: 45.2, memory: 104857600, exit_status: 0, kind: null });
      expect((await checkRow(uuid)).last_duration).toBe(45200);
    });

    it('reads the fields from a form body and keeps the body too', async () => {
      const uuid = await newCheck();
      const res = await ping(`/ping/${uuid}/fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'failure_message=Database+connection+timed+out',
      });
      expect(res.status).toBe(200);
      const [stored] = await pingsOf(uuid);
      expect(stored?.failure_message).toBe('Database connection timed out');
      expect(stored?.body?.toString()).toBe('failure_message=Database+connection+timed+out');
    });

    it('treats a non-zero exit_code on the success URL as a failure', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}?exit_code=3`);
      expect((await checkRow(uuid)).status).toBe('down');
      expect((await checkRow(uuid)).last_exit_code).toBe(3);
    });

    it.each([
      ['runtime=abc', 'invalid runtime'],
      ['runtime=-1', 'invalid runtime'],
      ['memory=1.5', 'invalid memory'],
      ['exit_code=256', 'invalid exit_code'],
      ['exit_code=x', 'invalid exit_code'],
    ])('refuses %s with 400', async (query, message) => {
      const uuid = await newCheck();
      expect(await ping(`/ping/${uuid}?${query}`)).toMatchObject({ status: 400, body: message });
      expect(await pingsOf(uuid)).toHaveLength(0);
    });

    it('keeps a piped log body sent to /log', async () => {
      const uuid = await newCheck();
      await ping(`/ping/${uuid}/log`, { method: 'POST', body: 'line 1\nline 2\n' });
      expect((await pingsOf(uuid))[0]).toMatchObject({ kind: 'log' });
      expect((await pingsOf(uuid))[0]?.body?.toString()).toBe('line 1\nline 2\n');
    });
  });
});

describe('ping API behind a trusted proxy', () => {
  let server: TestServer;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { TRUSTED_PROXIES: '127.0.0.1/8', PING_BODY_LIMIT: '5' } });
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function lastPing(uuid: string): Promise<PingRow> {
    return server.store.db
      .selectFrom('pings')
      .innerJoin('checks', 'checks.id', 'pings.check_id')
      .selectAll('pings')
      .where('checks.code', '=', uuid)
      .orderBy('pings.id', 'desc')
      .executeTakeFirstOrThrow();
  }

  it('takes the client address from the first X-Forwarded-For entry and the scheme from X-Forwarded-Proto', async () => {
    const { uuid } = await server.createCheck(project);
    await server.fetch(`/ping/${uuid}`, { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-forwarded-proto': 'https' } });
    expect(await lastPing(uuid)).toMatchObject({ remote_addr: '203.0.113.9', scheme: 'https' });
  });

  it('drops a port after an IPv4 address and keeps IPv6 addresses as they are', async () => {
    const { uuid } = await server.createCheck(project);
    await server.fetch(`/ping/${uuid}`, { headers: { 'x-forwarded-for': '1.1.1.1:1234' } });
    expect((await lastPing(uuid)).remote_addr).toBe('1.1.1.1');
    await server.fetch(`/ping/${uuid}`, { headers: { 'x-forwarded-for': '::ffff:1.1.1.1' } });
    expect((await lastPing(uuid)).remote_addr).toBe('::ffff:1.1.1.1');
  });

  it('honours a custom PING_BODY_LIMIT and announces it', async () => {
    const { uuid } = await server.createCheck(project);
    const res = await server.fetch(`/ping/${uuid}`, { method: 'POST', body: 'abcdefghij' });
    expect(res.headers.get('ping-body-limit')).toBe('5');
    expect((await lastPing(uuid)).body?.toString()).toBe('abcde');
  });
});
