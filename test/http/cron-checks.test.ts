// The Boxwatch Cron Checks API (seed 003) through real HTTP, on both databases: every documented
// request with the seed's example bodies, its validation rules, plan limits, statuses, the ping
// log, servers, and isolation between projects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { SITE_ROOT, startTestServer } from '../support/server.js';

const T0 = Date.parse('2026-05-24T03:00:00Z');
const SECOND = 1000;

// The seed's list item, key for key.
const CHECK_KEYS = [
  'id',
  'user_id',
  'server_id',
  'server_hostname',
  'name',
  'slug',
  'interval_seconds',
  'grace_seconds',
  'max_duration_seconds',
  'enabled',
  'status',
  'alert_on_missed',
  'alert_on_fail',
  'alert_on_stuck',
  'alert_on_long',
  'last_ping_at',
  'last_start_at',
  'last_success_at',
  'last_fail_at',
  'last_exit_code',
  'last_duration_seconds',
  'created_at',
];
const PING_KEYS = ['id', 'check_id', 'ping_type', 'exit_code', 'duration_seconds', 'source_ip', 'user_agent', 'body', 'received_at'];

// The seed's "Create check" request body.
const SEED_CREATE = {
  name: 'Nightly DB backup',
  interval_seconds: 86400,
  grace_seconds: 600,
  max_duration_seconds: 1800,
  server_id: 12,
  alert_on_long: true,
};

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

describe.each(DIALECTS)('Cron Checks API on %s', (dialect) => {
  let server: TestServer;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function call(key: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await server.fetch(path, init);
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  }

  /** A fresh project with its clock at T0 and a server `cron-01.prod`. */
  async function setup(): Promise<{ project: TestProject; key: string; serverId: number }> {
    clock.set(T0);
    const project = await server.newProject();
    const registered = await call(project.apiKey, 'POST', '/servers', { hostname: 'cron-01.prod' });
    expect(registered.status).toBe(201);
    return { project, key: project.apiKey, serverId: registered.body.server.id };
  }

  async function create(key: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const answer = await call(key, 'POST', '/cron-checks', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.check;
  }

  async function ping(uuid: string, suffix = '', init?: RequestInit): Promise<void> {
    expect((await server.fetch(`/ping/${uuid}${suffix}`, init)).status).toBe(200);
  }

  describe('the documented requests', () => {
    it('POST /cron-checks with the seed body answers 201 with the check and its ping URLs', async () => {
      const { key, serverId } = await setup();
      const answer = await call(key, 'POST', '/cron-checks', { ...SEED_CREATE, server_id: serverId });
      expect(answer.status).toBe(201);
      const { check, ping_urls: urls } = answer.body;
      expect(Object.keys(answer.body)).toEqual(['check', 'ping_urls']);
      expect(check).toMatchObject({
        id: expect.any(Number),
        slug: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        name: 'Nightly DB backup',
        interval_seconds: 86400,
        grace_seconds: 600,
        max_duration_seconds: 1800,
        enabled: 1,
        status: 'new',
        server_id: serverId,
        server_hostname: 'cron-01.prod',
        alert_on_missed: 1,
        alert_on_fail: 1,
        alert_on_stuck: 1,
        alert_on_long: 1,
        created_at: '2026-05-24T03:00:00Z',
      });
      expect(urls).toEqual({
        success: `${SITE_ROOT}/ping/${check.slug}`,
        start: `${SITE_ROOT}/ping/${check.slug}/start`,
        fail: `${SITE_ROOT}/ping/${check.slug}/fail`,
      });
      // The ping URLs work.
      await ping(check.slug, '/start');
      await ping(check.slug);
    });

    it('GET /cron-checks lists the checks with status, server hostname and the plan', async () => {
      const { project, key, serverId } = await setup();
      const created = await create(key, { ...SEED_CREATE, server_id: serverId });
      await ping(created.slug, '/start');
      clock.advance(2 * SECOND);
      await ping(created.slug);
      clock.advance(14 * SECOND);
      const answer = await call(key, 'GET', '/cron-checks');
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toEqual(['checks', 'plan_limit', 'current_count', 'plan']);
      const [check] = answer.body.checks;
      expect(Object.keys(check)).toEqual(CHECK_KEYS);
      expect(check).toEqual({
        id: created.id,
        user_id: project.project.owner_id,
        server_id: serverId,
        server_hostname: 'cron-01.prod',
        name: 'Nightly DB backup',
        slug: created.slug,
        interval_seconds: 86400,
        grace_seconds: 600,
        max_duration_seconds: 1800,
        enabled: 1,
        status: 'up',
        alert_on_missed: 1,
        alert_on_fail: 1,
        alert_on_stuck: 1,
        alert_on_long: 1,
        last_ping_at: '2026-05-24T03:00:02Z',
        last_start_at: null,
        last_success_at: '2026-05-24T03:00:02Z',
        last_fail_at: null,
        last_exit_code: null,
        last_duration_seconds: 2,
        created_at: '2026-05-24T03:00:00Z',
      });
      expect(answer.body).toMatchObject({ plan_limit: 10000, current_count: 1, plan: 'self-hosted' });
    });

    it('GET /cron-checks/:id returns the check, its ping URLs, the last 25 pings and the total', async () => {
      const { key, serverId } = await setup();
      const created = await create(key, { ...SEED_CREATE, server_id: serverId });
      await ping(created.slug, '/start', { headers: { 'user-agent': 'curl/8.4.0' } });
      clock.advance(2 * SECOND);
      await ping(created.slug, '', { headers: { 'user-agent': 'curl/8.4.0' } });
      const answer = await call(key, 'GET', `/cron-checks/${created.id}`);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toEqual(['check', 'ping_urls', 'pings', 'pings_total']);
      expect(answer.body.check).toMatchObject({ id: created.id, name: 'Nightly DB backup', slug: created.slug, status: 'up', server_hostname: 'cron-01.prod' });
      expect(answer.body.ping_urls.success).toBe(`${SITE_ROOT}/ping/${created.slug}`);
      expect(answer.body.pings_total).toBe(2);
      const [success, start] = answer.body.pings;
      expect(Object.keys(success)).toEqual(PING_KEYS);
      expect(success).toEqual({
        id: expect.any(Number),
        check_id: created.id,
        ping_type: 'success',
        exit_code: null,
        duration_seconds: 2,
        source_ip: '127.0.0.1',
        user_agent: 'curl/8.4.0',
        body: null,
        received_at: '2026-05-24T03:00:02Z',
      });
      expect(start).toMatchObject({ ping_type: 'start', duration_seconds: null, received_at: '2026-05-24T03:00:00Z' });
      expect(start.id).toBeLessThan(success.id);
    });

    it('PUT /cron-checks/:id changes the given fields and answers 200 with the check', async () => {
      const { key, serverId } = await setup();
      const created = await create(key, { ...SEED_CREATE, server_id: serverId });
      const answer = await call(key, 'PUT', `/cron-checks/${created.id}`, { interval_seconds: 90000 });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toEqual(['check']);
      expect(answer.body.check).toMatchObject({ id: created.id, name: 'Nightly DB backup', interval_seconds: 90000, grace_seconds: 600 });
      expect((await call(key, 'GET', `/cron-checks/${created.id}`)).body.check.interval_seconds).toBe(90000);
    });

    it('DELETE /cron-checks/:id deletes the check and its ping history', async () => {
      const { key } = await setup();
      const created = await create(key, { name: 'gone', interval_seconds: 3600 });
      await ping(created.slug);
      expect(await call(key, 'DELETE', `/cron-checks/${created.id}`)).toMatchObject({ status: 200, body: { ok: true } });
      expect(await call(key, 'GET', `/cron-checks/${created.id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      const pings = await server.store.db.selectFrom('pings').select('id').where('check_id', '=', created.id).execute();
      expect(pings).toEqual([]);
      expect(await call(key, 'DELETE', `/cron-checks/${created.id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    });
  });

  describe('validation', () => {
    it('reports every problem of a create at once', async () => {
      const { key } = await setup();
      const answer = await call(key, 'POST', '/cron-checks', {
        name: '',
        interval_seconds: 59,
        grace_seconds: -1,
        max_duration_seconds: 'long',
        server_id: 'cron-01',
        alert_on_missed: 'yes',
        alert_on_fail: null,
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'validation_failed',
        issues: [
          { field: 'name', reason: 'must be 1-100 characters' },
          { field: 'server_id', reason: 'must be an integer' },
          { field: 'interval_seconds', reason: 'must be between 60 and 7776000' },
          { field: 'grace_seconds', reason: 'must be between 0 and 3888000' },
          { field: 'max_duration_seconds', reason: 'must be an integer' },
          { field: 'alert_on_missed', reason: 'must be a boolean' },
          { field: 'alert_on_fail', reason: 'must be a boolean' },
        ],
      });
      expect((await call(key, 'GET', '/cron-checks')).body.checks).toEqual([]);
    });

    it('requires name and interval_seconds', async () => {
      const { key } = await setup();
      expect(await call(key, 'POST', '/cron-checks', {})).toMatchObject({
        status: 400,
        body: {
          error: 'validation_failed',
          issues: [
            { field: 'name', reason: 'is required' },
            { field: 'interval_seconds', reason: 'is required' },
          ],
        },
      });
      expect((await call(key, 'POST', '/cron-checks')).body.issues).toHaveLength(2);
    });

    it('accepts names of 1 to 100 characters, counted as characters', async () => {
      const { key } = await setup();
      expect((await call(key, 'POST', '/cron-checks', { name: 'x'.repeat(100), interval_seconds: 60 })).status).toBe(201);
      expect((await call(key, 'POST', '/cron-checks', { name: 'é'.repeat(100), interval_seconds: 60 })).status).toBe(201);
      expect((await call(key, 'POST', '/cron-checks', { name: 'x'.repeat(101), interval_seconds: 60 })).body.issues).toEqual([
        { field: 'name', reason: 'must be 1-100 characters' },
      ]);
      expect((await call(key, 'POST', '/cron-checks', { name: '   ', interval_seconds: 60 })).status).toBe(400);
      expect((await call(key, 'POST', '/cron-checks', { name: 7, interval_seconds: 60 })).body.issues).toEqual([
        { field: 'name', reason: 'must be a string' },
      ]);
    });

    it('bounds interval_seconds to 60..7776000 and wants an integer', async () => {
      const { key } = await setup();
      for (const ok of [60, 7_776_000]) expect((await call(key, 'POST', '/cron-checks', { name: 'a', interval_seconds: ok })).status).toBe(201);
      for (const bad of [59, 7_776_001, 60.5, '3600', true, null]) {
        const answer = await call(key, 'POST', '/cron-checks', { name: 'a', interval_seconds: bad });
        expect(answer.status).toBe(400);
        expect(answer.body.issues.map((i: { field: string }) => i.field)).toEqual(['interval_seconds']);
      }
    });

    it('allows grace from 0 up to half the interval, and defaults it to 300 (or half a short interval)', async () => {
      const { key } = await setup();
      expect(await create(key, { name: 'a', interval_seconds: 61, grace_seconds: 30 })).toMatchObject({ grace_seconds: 30 });
      expect(await create(key, { name: 'b', interval_seconds: 3600, grace_seconds: 0 })).toMatchObject({ grace_seconds: 0 });
      expect(await create(key, { name: 'c', interval_seconds: 86400 })).toMatchObject({ grace_seconds: 300 });
      expect(await create(key, { name: 'd', interval_seconds: 60 })).toMatchObject({ grace_seconds: 30 });
      expect((await call(key, 'POST', '/cron-checks', { name: 'e', interval_seconds: 61, grace_seconds: 31 })).body).toEqual({
        error: 'validation_failed',
        issues: [{ field: 'grace_seconds', reason: 'must be at most 30 (half of interval_seconds)' }],
      });
    });

    it('wants max_duration_seconds below the interval, or null', async () => {
      const { key } = await setup();
      expect(await create(key, { name: 'a', interval_seconds: 3600, max_duration_seconds: 3599 })).toMatchObject({ max_duration_seconds: 3599 });
      expect(await create(key, { name: 'b', interval_seconds: 3600, max_duration_seconds: null })).toMatchObject({ max_duration_seconds: null });
      expect((await call(key, 'POST', '/cron-checks', { name: 'c', interval_seconds: 3600, max_duration_seconds: 3600 })).body.issues).toEqual([
        { field: 'max_duration_seconds', reason: 'must be less than interval_seconds' },
      ]);
      expect((await call(key, 'POST', '/cron-checks', { name: 'c', interval_seconds: 3600, max_duration_seconds: 0 })).status).toBe(400);
    });

    it('refuses alert_on_long without max_duration_seconds', async () => {
      const { key } = await setup();
      expect((await call(key, 'POST', '/cron-checks', { name: 'a', interval_seconds: 3600, alert_on_long: true })).body.issues).toEqual([
        { field: 'alert_on_long', reason: 'requires max_duration_seconds' },
      ]);
      expect(await create(key, { name: 'b', interval_seconds: 3600, alert_on_long: false })).toMatchObject({ alert_on_long: 0 });
    });

    it('takes the alert toggles as booleans or 0/1', async () => {
      const { key } = await setup();
      const check = await create(key, {
        name: 'a',
        interval_seconds: 3600,
        max_duration_seconds: 60,
        alert_on_missed: false,
        alert_on_fail: 0,
        alert_on_stuck: 1,
        alert_on_long: true,
      });
      expect(check).toMatchObject({ alert_on_missed: 0, alert_on_fail: 0, alert_on_stuck: 1, alert_on_long: 1 });
    });

    it('only links servers of the caller\'s project', async () => {
      const { key } = await setup();
      const other = await setup();
      const answer = await call(key, 'POST', '/cron-checks', { ...SEED_CREATE, server_id: other.serverId });
      expect(answer.body).toEqual({ error: 'validation_failed', issues: [{ field: 'server_id', reason: 'no such server in this project' }] });
      // The seed body as written names server 12, which this project does not have.
      const seed = await call(key, 'POST', '/cron-checks', SEED_CREATE);
      expect(seed.status).toBe(400);
      expect(seed.body.issues).toContainEqual({ field: 'server_id', reason: 'no such server in this project' });
      expect(await create(key, { name: 'a', interval_seconds: 3600, server_id: null })).toMatchObject({ server_id: null, server_hostname: null });
    });

    it('answers 400 validation_failed for a body that is not a JSON object', async () => {
      const { key } = await setup();
      for (const body of ['[1]', '"name"', 'null', '{"name": ', '\u00ff']) {
        const answer = await call(key, 'POST', '/cron-checks', body);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('validation_failed');
        expect(answer.body.issues[0].field).toBe('body');
      }
    });

    it('refuses an update without updatable fields', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      for (const body of [{}, { id: 3, slug: 'x', status: 'down' }]) {
        expect(await call(key, 'PUT', `/cron-checks/${check.id}`, body)).toMatchObject({
          status: 400,
          body: { error: 'validation_failed', issues: [{ field: 'body', reason: 'no updatable fields provided' }] },
        });
      }
    });

    it('checks an update against the values the check would end up with', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600, grace_seconds: 1800, max_duration_seconds: 600, alert_on_long: true });
      const path = `/cron-checks/${check.id}`;
      expect((await call(key, 'PUT', path, { interval_seconds: 1200 })).body.issues).toEqual([
        { field: 'grace_seconds', reason: 'must be at most 600 (half of interval_seconds)' },
      ]);
      expect((await call(key, 'PUT', path, { interval_seconds: 600, grace_seconds: 300 })).body.issues).toEqual([
        { field: 'max_duration_seconds', reason: 'must be less than interval_seconds' },
      ]);
      expect((await call(key, 'PUT', path, { max_duration_seconds: null })).body.issues).toEqual([
        { field: 'alert_on_long', reason: 'requires max_duration_seconds' },
      ]);
      expect((await call(key, 'PUT', path, { name: '', grace_seconds: 'x' })).body.issues).toEqual([
        { field: 'name', reason: 'must be 1-100 characters' },
        { field: 'grace_seconds', reason: 'must be an integer' },
      ]);
      // Nothing of the refused updates was written.
      expect((await call(key, 'GET', path)).body.check).toMatchObject({ name: 'a', interval_seconds: 3600, grace_seconds: 1800, max_duration_seconds: 600 });
      const ok = await call(key, 'PUT', path, { interval_seconds: 1200, grace_seconds: 600, max_duration_seconds: null, alert_on_long: false });
      expect(ok.body.check).toMatchObject({ interval_seconds: 1200, grace_seconds: 600, max_duration_seconds: null, alert_on_long: 0 });
    });

    it('validates pings_offset', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      for (const bad of ['-1', 'abc', '1.5']) {
        expect(await call(key, 'GET', `/cron-checks/${check.id}?pings_offset=${bad}`)).toMatchObject({
          status: 400,
          body: { error: 'validation_failed', issues: [{ field: 'pings_offset', reason: 'must be a non-negative integer' }] },
        });
      }
    });
  });

  describe('plan limit', () => {
    it('answers 402 plan_limit_reached with the count, the owner\'s limit and the plan, creating nothing', async () => {
      const { project, key } = await setup();
      await create(key, { name: 'one', interval_seconds: 3600 });
      await server.store.db.updateTable('users').set({ check_limit: 1 }).where('id', '=', project.project.owner_id).execute();
      const answer = await call(key, 'POST', '/cron-checks', { name: 'two', interval_seconds: 3600 });
      expect(answer).toMatchObject({ status: 402, body: { error: 'plan_limit_reached', current: 1, limit: 1, plan: 'self-hosted' } });
      expect(Object.keys(answer.body)).toEqual(['error', 'current', 'limit', 'plan']);
      const list = await call(key, 'GET', '/cron-checks');
      expect(list.body).toMatchObject({ plan_limit: 1, current_count: 1 });
      expect(list.body.checks).toHaveLength(1);
      // Validation comes first.
      expect((await call(key, 'POST', '/cron-checks', { name: '' })).status).toBe(400);
    });

    it('counts the checks of all the owner\'s projects, like the Healthchecks API', async () => {
      const { project, key } = await setup();
      const second = await server.accounts.createProject(
        (await server.store.db.selectFrom('users').selectAll().where('id', '=', project.project.owner_id).executeTakeFirstOrThrow()),
        'second',
      );
      await server.createCheck({ ...second, pingKey: second.project.ping_key }, { name: 'elsewhere' });
      await create(key, { name: 'here', interval_seconds: 3600 });
      expect((await call(key, 'GET', '/cron-checks')).body).toMatchObject({ current_count: 2 });
      expect((await call(key, 'GET', '/cron-checks')).body.checks).toHaveLength(1);
    });
  });

  describe('statuses and history', () => {
    it('maps new, up, late, down, paused and stuck', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600, grace_seconds: 1800, max_duration_seconds: 600 });
      const status = async () => (await call(key, 'GET', `/cron-checks/${check.id}`)).body.check;
      expect(await status()).toMatchObject({ status: 'new', enabled: 1 });
      await ping(check.slug);
      expect(await status()).toMatchObject({ status: 'up' });
      clock.advance(3600 * SECOND);
      expect(await status()).toMatchObject({ status: 'late' });
      clock.advance(1800 * SECOND);
      expect(await status()).toMatchObject({ status: 'down' });
      await ping(check.slug);
      await ping(check.slug, '/start');
      clock.advance(601 * SECOND);
      expect(await status()).toMatchObject({ status: 'stuck', last_start_at: expect.any(String) });
      clock.advance(1200 * SECOND);
      // Past the grace time a run that never finished is down.
      expect(await status()).toMatchObject({ status: 'down' });
    });

    it('pauses with enabled false and resumes with enabled true, recording handled flips', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      await ping(check.slug);
      const path = `/cron-checks/${check.id}`;
      expect((await call(key, 'PUT', path, { enabled: false })).body.check).toMatchObject({ enabled: 0, status: 'paused' });
      expect((await call(key, 'PUT', path, { enabled: 0 })).body.check).toMatchObject({ enabled: 0, status: 'paused' });
      expect((await call(key, 'PUT', path, { enabled: true, name: 'b' })).body.check).toMatchObject({
        enabled: 1,
        status: 'new',
        name: 'b',
        last_ping_at: null,
      });
      expect((await call(key, 'PUT', path, { enabled: 1 })).body.check).toMatchObject({ enabled: 1, status: 'new' });
      const flips = await server.store.db
        .selectFrom('flips')
        .select(['old_status', 'new_status', 'processed'])
        .where('check_id', '=', check.id)
        .orderBy('id')
        .execute();
      expect(flips.map((f) => [f.old_status, f.new_status])).toEqual([
        ['new', 'up'],
        ['up', 'paused'],
        ['paused', 'new'],
      ]);
      expect(flips.slice(1).every((f) => f.processed !== null)).toBe(true);
    });

    it('shows fail, log and exit-code pings with their body as text', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      await ping(check.slug, '/3', { method: 'POST', body: 'disk full\n' });
      clock.advance(SECOND);
      await ping(check.slug, '/log', { method: 'POST', body: Buffer.from([0x68, 0x69, 0xff]) });
      const { body } = await call(key, 'GET', `/cron-checks/${check.id}`);
      expect(body.pings.map((p: Record<string, unknown>) => [p.ping_type, p.exit_code, p.body])).toEqual([
        ['log', null, 'hi\ufffd'],
        ['fail', 3, 'disk full\n'],
      ]);
      expect(body.check).toMatchObject({ status: 'down', last_fail_at: '2026-05-24T03:00:00Z', last_exit_code: 3, last_success_at: null });
    });

    it('pages the ping log 25 at a time with pings_offset', async () => {
      const { key } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      for (let i = 0; i < 30; i++) {
        await ping(check.slug);
        clock.advance(SECOND);
      }
      const first = (await call(key, 'GET', `/cron-checks/${check.id}`)).body;
      expect(first.pings).toHaveLength(25);
      expect(first.pings_total).toBe(30);
      expect(first.pings[0].received_at).toBe('2026-05-24T03:00:29Z');
      const rest = (await call(key, 'GET', `/cron-checks/${check.id}?pings_offset=25`)).body;
      expect(rest.pings.map((p: { received_at: string }) => p.received_at)).toEqual([
        '2026-05-24T03:00:04Z',
        '2026-05-24T03:00:03Z',
        '2026-05-24T03:00:02Z',
        '2026-05-24T03:00:01Z',
        '2026-05-24T03:00:00Z',
      ]);
      expect((await call(key, 'GET', `/cron-checks/${check.id}?pings_offset=100`)).body.pings).toEqual([]);
    });

    it('shows checks made through the Healthchecks API, the same rows', async () => {
      const { project, key } = await setup();
      await server.createCheck(project, { name: 'simple', timeout: 3600, grace: 120 });
      await server.createCheck(project, { name: 'cron', schedule: '0 3 * * *', grace: 120 });
      const { checks } = (await call(key, 'GET', '/cron-checks')).body;
      expect(checks.map((c: Record<string, unknown>) => [c.name, c.interval_seconds, c.grace_seconds])).toEqual([
        ['simple', 3600, 120],
        ['cron', null, 120],
      ]);
      // A cron-scheduled check keeps its schedule unless an interval is set.
      const cron = checks[1];
      expect((await call(key, 'PUT', `/cron-checks/${cron.id}`, { grace_seconds: 7200 })).body.check).toMatchObject({
        interval_seconds: null,
        grace_seconds: 7200,
      });
      expect((await call(key, 'PUT', `/cron-checks/${cron.id}`, { interval_seconds: 86400 })).body.check).toMatchObject({
        interval_seconds: 86400,
      });
    });
  });

  describe('servers', () => {
    it('registers a hostname once and lists the project\'s servers', async () => {
      const { key, serverId } = await setup();
      const again = await call(key, 'POST', '/servers', { hostname: 'cron-01.prod' });
      expect(again.status).toBe(200);
      expect(again.body.server).toEqual({ id: serverId, hostname: 'cron-01.prod', created_at: '2026-05-24T03:00:00Z' });
      await call(key, 'POST', '/servers', { hostname: 'cron-02.prod' });
      const list = await call(key, 'GET', '/servers');
      expect(list.body.servers.map((s: { hostname: string }) => s.hostname)).toEqual(['cron-01.prod', 'cron-02.prod']);
    });

    it('validates the hostname', async () => {
      const { key } = await setup();
      for (const body of [{}, { hostname: '' }, { hostname: 'has space' }, { hostname: 7 }, { hostname: 'a'.repeat(254) }]) {
        const answer = await call(key, 'POST', '/servers', body);
        expect(answer.status).toBe(400);
        expect(answer.body.issues[0].field).toBe('hostname');
      }
    });

    it('shows a linked server\'s hostname and unlinks with null', async () => {
      const { key, serverId } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600, server_id: serverId });
      expect(check).toMatchObject({ server_id: serverId, server_hostname: 'cron-01.prod' });
      const unlinked = await call(key, 'PUT', `/cron-checks/${check.id}`, { server_id: null });
      expect(unlinked.body.check).toMatchObject({ server_id: null, server_hostname: null });
    });
  });

  describe('authentication and isolation', () => {
    it('answers 401 without a valid bearer key', async () => {
      const { project } = await setup();
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer nope' },
        { authorization: `Bearer lkw_${'x'.repeat(28)}` },
        { authorization: `Token ${project.apiKey}` },
        { 'x-api-key': project.apiKey },
      ];
      for (const headers of attempts) {
        for (const path of ['/cron-checks', '/servers']) {
          const response = await server.fetch(path, { headers });
          expect(response.status).toBe(401);
          expect(await response.json()).toEqual({ error: 'unauthorized' });
          expect(response.headers.get('www-authenticate')).toBe('Bearer');
        }
      }
      expect((await server.fetch('/cron-checks', { headers: { authorization: `bearer ${project.apiKey}` } })).status).toBe(200);
    });

    it('lets a read-only key read but not write', async () => {
      const { project, key, serverId } = await setup();
      const check = await create(key, { name: 'a', interval_seconds: 3600 });
      const ro = project.apiKeyReadOnly;
      expect((await call(ro, 'GET', '/cron-checks')).body.checks).toHaveLength(1);
      expect((await call(ro, 'GET', `/cron-checks/${check.id}`)).status).toBe(200);
      expect((await call(ro, 'GET', '/servers')).body.servers).toEqual([expect.objectContaining({ id: serverId })]);
      for (const [method, path, body] of [
        ['POST', '/cron-checks', { name: 'b', interval_seconds: 3600 }],
        ['PUT', `/cron-checks/${check.id}`, { name: 'b' }],
        ['DELETE', `/cron-checks/${check.id}`, undefined],
        ['POST', '/servers', { hostname: 'x' }],
      ] as const) {
        expect(await call(ro, method, path, body)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      }
      expect((await call(key, 'GET', `/cron-checks/${check.id}`)).body.check.name).toBe('a');
    });

    it('never shows or touches another project\'s checks and servers', async () => {
      const a = await setup();
      const b = await setup();
      const mine = await create(a.key, { name: 'mine', interval_seconds: 3600 });
      const theirs = await create(b.key, { name: 'theirs', interval_seconds: 3600 });
      expect((await call(a.key, 'GET', '/cron-checks')).body.checks.map((c: { name: string }) => c.name)).toEqual(['mine']);
      expect((await call(a.key, 'GET', '/servers')).body.servers).toEqual([expect.objectContaining({ id: a.serverId })]);
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { name: 'stolen' }],
        ['DELETE', undefined],
      ] as const) {
        expect(await call(a.key, method, `/cron-checks/${theirs.id}`, body)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      }
      expect((await call(b.key, 'GET', `/cron-checks/${theirs.id}`)).body.check.name).toBe('theirs');
      expect((await call(a.key, 'PUT', `/cron-checks/${mine.id}`, { server_id: b.serverId })).status).toBe(400);
    });

    it('answers 404 not_found for ids that cannot exist', async () => {
      const { key } = await setup();
      for (const id of ['0', 'abc', '-1', '999999999', '1e3', '9'.repeat(20)]) {
        expect(await call(key, 'GET', `/cron-checks/${id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      }
    });
  });
});
