// The ping log, ping bodies, flips and pause/resume through the Management API (spec §3.11–3.14),
// on both databases, with time under the test's control.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { insertPings } from '../../src/store/pings.js';
import type { CheckRow, FlipRow, NewPing } from '../../src/store/schema.js';
import type { ApiClient } from '../support/api-client.js';
import { apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { SITE_ROOT, startTestServer } from '../support/server.js';

const T0 = Date.UTC(2020, 5, 9, 14, 50, 56, 635);
const SECOND = 1000;
const HOUR = 3600 * SECOND;

describe.each(DIALECTS)('Management API pings and flips on %s', (dialect) => {
  const clock = new ManualClock(T0);
  let server: TestServer;
  let api: ApiClient;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock });
    api = apiClient(server);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  const checkRow = (code: string): Promise<CheckRow> =>
    server.store.db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  const flipRows = async (code: string): Promise<FlipRow[]> =>
    server.store.db.selectFrom('flips').selectAll().where('check_id', '=', (await checkRow(code)).id).orderBy('id').execute();

  async function newCheck(fields: Record<string, unknown> = {}): Promise<string> {
    return (await server.createCheck(project, fields)).uuid as string;
  }

  /** Pings the check at the given time. */
  async function pingAt(at: number, path: string, init?: RequestInit): Promise<void> {
    clock.set(at);
    const res = await server.fetch(path, init);
    expect(res.status).toBe(200);
  }

  async function pingLog(uuid: string, version = 3): Promise<any[]> {
    const res = await api.get(`/api/v${version}/checks/${uuid}/pings/`, project.apiKey);
    expect(res.status).toBe(200);
    return res.json.pings;
  }

  describe('ping log', () => {
    it('lists pings newest first, each with its fields in Healthchecks’ order', async () => {
      const uuid = await newCheck();
      const rid = '123e4567-e89b-12d3-a456-426614174000';
      await pingAt(T0, `/ping/${uuid}/start?rid=${rid}`, { headers: { 'user-agent': 'curl/7.68.0' } });
      await pingAt(T0 + 2_896, `/ping/${uuid}?rid=${rid}`, { method: 'POST', body: 'done', headers: { 'user-agent': 'curl/7.68.0' } });
      const res = await api.get(`/checks/${uuid}/pings/`, project.apiKey);
      expect(res.json.pings.map((p: object) => Object.keys(p))).toEqual([
        ['type', 'date', 'n', 'scheme', 'remote_addr', 'method', 'ua', 'rid', 'body_url', 'duration'],
        ['type', 'date', 'n', 'scheme', 'remote_addr', 'method', 'ua', 'rid', 'body_url'],
      ]);
      expect(res.json.pings).toEqual([
        {
          type: 'success', date: '2020-06-09T14:50:59.531000+00:00', n: 2, scheme: 'http', remote_addr: '127.0.0.1',
          method: 'POST', ua: 'curl/7.68.0', rid, body_url: `${SITE_ROOT}/api/v3/checks/${uuid}/pings/2/body`, duration: 2.9,
        },
        {
          type: 'start', date: '2020-06-09T14:50:56.635000+00:00', n: 1, scheme: 'http', remote_addr: '127.0.0.1',
          method: 'GET', ua: 'curl/7.68.0', rid, body_url: null,
        },
      ]);
      expect(res.text).toContain('"duration": 2.9}');
    });

    it('prints whole-second dates without a fraction and whole-second durations as floats', async () => {
      const uuid = await newCheck();
      await pingAt(Date.UTC(2021, 0, 1), `/ping/${uuid}/start`);
      await pingAt(Date.UTC(2021, 0, 1, 0, 2), `/ping/${uuid}/fail`);
      const res = await api.get(`/checks/${uuid}/pings/`, project.apiKey);
      expect(res.json.pings.map((p: { type: string; date: string }) => [p.type, p.date])).toEqual([
        ['fail', '2021-01-01T00:02:00+00:00'],
        ['start', '2021-01-01T00:00:00+00:00'],
      ]);
      expect(res.text).toContain('"duration": 120.0}');
    });

    it('names every kind of ping', async () => {
      const uuid = await newCheck();
      for (const suffix of ['', '/start', '/fail', '/log', '/0']) await pingAt(T0, `/ping/${uuid}${suffix}`);
      expect((await pingLog(uuid)).map((p) => p.type)).toEqual(['success', 'log', 'fail', 'start', 'success']);
    });

    it('pairs interleaved runs by run id (spec example)', async () => {
      const uuid = await newCheck();
      const a = 'aaaaaaaa-0000-4000-8000-000000000000';
      const b = 'bbbbbbbb-0000-4000-8000-000000000000';
      await pingAt(T0, `/ping/${uuid}/start?rid=${a}`);
      await pingAt(T0 + 60 * SECOND, `/ping/${uuid}/start?rid=${b}`);
      await pingAt(T0 + 120 * SECOND, `/ping/${uuid}?rid=${a}`);
      await pingAt(T0 + 360 * SECOND, `/ping/${uuid}?rid=${b}`);
      expect((await pingLog(uuid)).map((p) => p.duration)).toEqual([300, 120, undefined, undefined]);
    });

    it('gives no duration to a run of 72 hours or more', async () => {
      const uuid = await newCheck();
      await pingAt(T0, `/ping/${uuid}/start`);
      await pingAt(T0 + 72 * HOUR, `/ping/${uuid}`);
      expect((await pingLog(uuid))[0]).not.toHaveProperty('duration');
    });

    it('shows at most the owner’s ping log limit, newest first', async () => {
      const uuid = await newCheck();
      await server.store.db.updateTable('users').set({ ping_log_limit: 3 }).where('id', '=', project.project.owner_id).execute();
      try {
        for (let i = 0; i < 5; i++) await pingAt(T0 + i * SECOND, `/ping/${uuid}`);
        expect((await pingLog(uuid)).map((p) => p.n)).toEqual([5, 4, 3]);
      } finally {
        await server.store.db.updateTable('users').set({ ping_log_limit: 100 }).where('id', '=', project.project.owner_id).execute();
      }
    });

    it('looks before the page for the start of a run that completes on it', async () => {
      const uuid = await newCheck();
      await server.store.db.updateTable('users').set({ ping_log_limit: 2 }).where('id', '=', project.project.owner_id).execute();
      try {
        await pingAt(T0, `/ping/${uuid}/start`);
        await pingAt(T0 + 10 * SECOND, `/ping/${uuid}/log`);
        await pingAt(T0 + 30 * SECOND, `/ping/${uuid}`);
        expect((await pingLog(uuid)).map((p) => [p.n, p.duration])).toEqual([
          [3, 30],
          [2, undefined],
        ]);
      } finally {
        await server.store.db.updateTable('users').set({ ping_log_limit: 100 }).where('id', '=', project.project.owner_id).execute();
      }
    });

    /** Pings written straight to the store, oldest first, for pages larger than HTTP tests like. */
    async function storePings(uuid: string, pings: Partial<NewPing>[]): Promise<void> {
      const check = await checkRow(uuid);
      const rows: NewPing[] = pings.map((ping, i) => ({
        check_id: check.id, n: i + 1, created: T0 + i * SECOND, kind: null, scheme: 'http', remote_addr: '192.0.2.0',
        method: 'GET', ua: '', body: null, rid: null, exit_status: null, duration: null, runtime: null, memory: null,
        failure_message: null, ...ping,
      }));
      await insertPings(server.store.db, rows);
      await server.store.db.updateTable('checks').set({ n_pings: rows.length }).where('id', '=', check.id).execute();
    }

    it('omits every duration when more than ten completions would need a look-up beyond the page', async () => {
      const rid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const eleven = await newCheck();
      await storePings(eleven, [
        ...Array.from({ length: 11 }, (_, i) => ({ rid: rid(i) })),
        { kind: 'start' as const },
        {},
      ]);
      expect((await pingLog(eleven)).filter((p) => 'duration' in p)).toEqual([]);

      const ten = await newCheck();
      await storePings(ten, [...Array.from({ length: 10 }, (_, i) => ({ rid: rid(i) })), { kind: 'start' as const }, {}]);
      expect((await pingLog(ten))[0].duration).toBe(1);
    });

    it('shows at most 1,000 pings whatever the limit', async () => {
      const uuid = await newCheck();
      await server.store.db.updateTable('users').set({ ping_log_limit: 5000 }).where('id', '=', project.project.owner_id).execute();
      try {
        await storePings(uuid, Array.from({ length: 1005 }, () => ({})));
        const pings = await pingLog(uuid);
        expect([pings.length, pings[0].n, pings.at(-1).n]).toEqual([1000, 1005, 6]);
      } finally {
        await server.store.db.updateTable('users').set({ ping_log_limit: 100 }).where('id', '=', project.project.owner_id).execute();
      }
    });

    it('answers 404 for an unknown check', async () => {
      const res = await api.get('/checks/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/pings/', project.apiKey);
      expect([res.status, res.json]).toEqual([404, { error: 'not found' }]);
    });
  });

  describe('ping body', () => {
    it('answers the exact stored bytes as text/plain without a charset', async () => {
      const uuid = await newCheck();
      const bytes = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x0a]);
      await pingAt(T0, `/ping/${uuid}/fail`, { method: 'POST', body: bytes });
      const res = await server.fetch(`/api/v3/checks/${uuid}/pings/1/body`, { headers: { 'X-Api-Key': project.apiKey } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    });

    it('answers 404 for a ping without body, a missing ping, and a malformed number', async () => {
      const uuid = await newCheck();
      await pingAt(T0, `/ping/${uuid}`);
      for (const n of ['1', '2', '99999999999999999999', 'x', '-1']) {
        expect((await api.get(`/checks/${uuid}/pings/${n}/body`, project.apiKey)).status).toBe(404);
      }
    });

    it('answers 404 for a ping that is due for pruning, even while still stored', async () => {
      const uuid = await newCheck();
      await server.store.db.updateTable('users').set({ ping_log_limit: 2 }).where('id', '=', project.project.owner_id).execute();
      try {
        for (let i = 0; i < 3; i++) await pingAt(T0, `/ping/${uuid}`, { method: 'POST', body: `body ${i + 1}` });
        expect((await api.get(`/checks/${uuid}/pings/1/body`, project.apiKey)).status).toBe(404);
        expect((await api.get(`/checks/${uuid}/pings/2/body`, project.apiKey)).text).toBe('body 2');
      } finally {
        await server.store.db.updateTable('users').set({ ping_log_limit: 100 }).where('id', '=', project.project.owner_id).execute();
      }
    });
  });

  describe('pause and resume', () => {
    it('pauses: status paused, run and deadline forgotten, last ping kept, a handled flip', async () => {
      const uuid = await newCheck();
      await pingAt(T0, `/ping/${uuid}`);
      await pingAt(T0 + SECOND, `/ping/${uuid}/start`);
      clock.set(T0 + 2 * SECOND);
      const res = await api.post(`/checks/${uuid}/pause`, '', project.apiKey);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: 'paused', started: false, last_ping: '2020-06-09T14:50:56+00:00', next_ping: null });
      expect(await checkRow(uuid)).toMatchObject({ status: 'paused', last_start: null, alert_after: null, last_ping: T0 });
      expect((await flipRows(uuid)).at(-1)).toMatchObject({ old_status: 'up', new_status: 'paused', created: T0 + 2 * SECOND, processed: T0 + 2 * SECOND });
    });

    it('accepts the key in the body', async () => {
      const uuid = await newCheck();
      expect((await api.post(`/checks/${uuid}/pause`, { api_key: project.apiKey })).status).toBe(200);
    });

    it('leaves an already paused check alone, without a new flip', async () => {
      const uuid = await newCheck();
      await api.post(`/checks/${uuid}/pause`, '', project.apiKey);
      const again = await api.post(`/checks/${uuid}/pause`, '', project.apiKey);
      expect([again.status, again.json.status]).toEqual([200, 'paused']);
      expect(await flipRows(uuid)).toHaveLength(1);
    });

    it('resumes a paused check to new, forgetting the last ping but not the ping count', async () => {
      const uuid = await newCheck();
      await pingAt(T0, `/ping/${uuid}`);
      await api.post(`/checks/${uuid}/pause`, '', project.apiKey);
      const res = await api.post(`/checks/${uuid}/resume`, '', project.apiKey);
      expect(res.json).toMatchObject({ status: 'new', last_ping: null, n_pings: 1 });
      const flips = await flipRows(uuid);
      expect(flips.map((f) => [f.old_status, f.new_status])).toEqual([
        ['new', 'up'],
        ['up', 'paused'],
        ['paused', 'new'],
      ]);
      // The API's own status changes are never alerted: they are stored as processed.
      expect(flips.slice(1).map((f) => f.processed)).toEqual([T0, T0]);
    });

    it('answers 409 "check is not paused" in plain text when the check is not paused', async () => {
      const uuid = await newCheck();
      const res = await api.post(`/checks/${uuid}/resume`, '', project.apiKey);
      expect([res.status, res.text]).toEqual([409, 'check is not paused']);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await flipRows(uuid)).toHaveLength(0);
    });

    it('answers 404 for an unknown check', async () => {
      expect((await api.post('/checks/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/pause', '', project.apiKey)).status).toBe(404);
    });
  });

  describe('flips', () => {
    let uuid: string;
    let key: string;

    beforeAll(async () => {
      uuid = await newCheck();
      key = (await api.get(`/checks/${uuid}`, project.apiKeyReadOnly)).json.unique_key;
      await pingAt(Date.UTC(2020, 2, 23, 10, 16, 18, 500), `/ping/${uuid}`);
      await pingAt(Date.UTC(2020, 2, 23, 10, 17, 15), `/ping/${uuid}/fail`);
      await pingAt(Date.UTC(2020, 2, 23, 10, 18, 23), `/ping/${uuid}`);
      clock.set(Date.UTC(2020, 2, 23, 10, 19, 0));
      await api.post(`/checks/${uuid}/pause`, '', project.apiKey);
    });

    it('lists flips newest first with second-precision timestamps; only flips to up are 1', async () => {
      const res = await api.get(`/checks/${uuid}/flips/`, project.apiKeyReadOnly);
      expect(res.status).toBe(200);
      expect(res.text).toBe(
        '{"flips": [{"timestamp": "2020-03-23T10:19:00+00:00", "up": 0}, {"timestamp": "2020-03-23T10:18:23+00:00", "up": 1}, ' +
          '{"timestamp": "2020-03-23T10:17:15+00:00", "up": 0}, {"timestamp": "2020-03-23T10:16:18+00:00", "up": 1}]}',
      );
    });

    it('finds the flips by unique_key too', async () => {
      expect((await api.get(`/checks/${key}/flips/`, project.apiKeyReadOnly)).json.flips).toHaveLength(4);
      const unknown = await api.get(`/checks/${'f'.repeat(40)}/flips/`, project.apiKey);
      expect([unknown.status, unknown.text]).toEqual([404, '']);
    });

    it('filters by start (inclusive), end (exclusive) and seconds', async () => {
      const times = async (query: string) =>
        (await api.get(`/checks/${uuid}/flips/${query}`, project.apiKey)).json.flips.map((f: { timestamp: string }) => f.timestamp.slice(11, 19));
      const at = (h: number, m: number, s: number) => Date.UTC(2020, 2, 23, h, m, s) / 1000;
      expect(await times(`?start=${at(10, 17, 15)}`)).toEqual(['10:19:00', '10:18:23', '10:17:15']);
      expect(await times(`?end=${at(10, 18, 23)}`)).toEqual(['10:17:15', '10:16:18']);
      expect(await times(`?start=${at(10, 17, 0)}&end=${at(10, 19, 0)}`)).toEqual(['10:18:23', '10:17:15']);
      clock.set(Date.UTC(2020, 2, 23, 10, 20, 0));
      expect(await times('?seconds=120')).toEqual(['10:19:00', '10:18:23']);
      expect(await times('?seconds=0')).toHaveLength(4);
    });

    it.each(['start=abc', 'end=-1', 'seconds=31536001', 'start=10000000001', 'start='])('answers 400 with an empty body for %s', async (query) => {
      const res = await api.get(`/checks/${uuid}/flips/?${query}`, project.apiKey);
      expect([res.status, res.text]).toEqual([400, '']);
    });

    it('answers 404 for an unknown check UUID', async () => {
      expect((await api.get('/checks/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/flips/', project.apiKey)).status).toBe(404);
    });
  });
});
