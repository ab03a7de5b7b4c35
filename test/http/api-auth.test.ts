// Who may do what through the Management API (spec §3.2, §3.3): key errors, the key in a JSON body,
// read-only keys, CORS and method handling, and the isolation of projects on every endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { addChannel, apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const UNKNOWN_KEY = 'lkw_' + 'x'.repeat(28);

describe.each(DIALECTS)('Management API access on %s', (dialect) => {
  let server: TestServer;
  let api: ApiClient;
  let mine: TestProject;
  let theirs: TestProject;
  let myCheck: Record<string, any>;
  let theirCheck: Record<string, any>;
  let theirKey: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = apiClient(server);
    mine = await server.newProject('mine');
    theirs = await server.newProject('theirs');
    await addChannel(server, theirs, { name: 'their channel' });
    myCheck = await server.createCheck(mine, { name: 'mine', tags: 'shared' });
    theirCheck = await server.createCheck(theirs, { name: 'theirs', tags: 'shared', channels: '*' });
    await server.fetch(`/ping/${theirCheck.uuid}`, { method: 'POST', body: 'their secret output' });
    theirKey = (await api.get(`/checks/${theirCheck.uuid}`, theirs.apiKeyReadOnly)).json.unique_key;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Everything about a check a caller could have changed, as its owner sees it. */
  async function snapshot(project: TestProject, uuid: string): Promise<string> {
    const check = await api.get(`/checks/${uuid}`, project.apiKey);
    const flips = await api.get(`/checks/${uuid}/flips/`, project.apiKey);
    return `${check.status} ${check.text} ${flips.text}`;
  }

  describe('key errors', () => {
    it.each([
      ['no key', undefined],
      ['an empty key', ''],
      ['a key of 31 characters', 'x'.repeat(31)],
      ['a key of 33 characters', 'x'.repeat(33)],
    ])('answers 401 "missing api key" for %s', async (_label, key) => {
      const res = await api.get('/checks/', key);
      expect([res.status, res.json]).toEqual([401, { error: 'missing api key' }]);
    });

    it('answers 401 "wrong api key" for an unknown key of the right length', async () => {
      const res = await api.get('/checks/', UNKNOWN_KEY);
      expect([res.status, res.json]).toEqual([401, { error: 'wrong api key' }]);
    });

    it('prefers the header over a key in the body', async () => {
      const res = await api.request('POST', '/checks/', { key: UNKNOWN_KEY, body: JSON.stringify({ api_key: mine.apiKey }) });
      expect(res.json).toEqual({ error: 'wrong api key' });
    });

    it('reads a non-string api_key in the body as Python str() would (so a number is "missing")', async () => {
      expect((await api.post('/checks/', { api_key: 12345 })).json).toEqual({ error: 'missing api key' });
    });

    it('takes a body key for POST only: DELETE and read endpoints need the header', async () => {
      const res = await api.request('DELETE', `/checks/${myCheck.uuid}`, { body: JSON.stringify({ api_key: mine.apiKey }) });
      expect(res.json).toEqual({ error: 'missing api key' });
    });

    it('parses the body before authenticating', async () => {
      const res = await api.post('/checks/', '{broken');
      expect([res.status, res.json]).toEqual([400, { error: 'could not parse request body' }]);
    });
  });

  describe('read-only keys', () => {
    it.each([
      ['the check list', '/checks/'],
      ['one check', () => `/checks/${myCheck.uuid}`],
      ['its flips', () => `/checks/${myCheck.uuid}/flips/`],
    ])('may read %s', async (_label, path) => {
      const res = await api.get(typeof path === 'string' ? path : path(), mine.apiKeyReadOnly);
      expect(res.status).toBe(200);
    });

    const writes: [string, string, (uuid: string) => string, string?][] = [
      ['create', 'POST', () => '/checks/', '{"name": "ro"}'],
      ['update', 'POST', (u) => `/checks/${u}`, '{"name": "changed by ro"}'],
      ['delete', 'DELETE', (u) => `/checks/${u}`],
      ['pause', 'POST', (u) => `/checks/${u}/pause`, ''],
      ['resume', 'POST', (u) => `/checks/${u}/resume`, ''],
      ['rotate the ping code', 'POST', (u) => `/checks/${u}/ping-code`, ''],
      ['list pings', 'GET', (u) => `/checks/${u}/pings/`],
      ['read a ping body', 'GET', (u) => `/checks/${u}/pings/1/body`],
      ['list channels', 'GET', () => '/channels/'],
    ];

    it.each(writes)('may not %s: 401 "wrong api key" and nothing changes', async (_label, method, path, body) => {
      const before = await snapshot(mine, myCheck.uuid);
      const count = (await api.get('/checks/', mine.apiKey)).json.checks.length;
      const res = await api.request(method, path(myCheck.uuid), { key: mine.apiKeyReadOnly, ...(body === undefined ? {} : { body }) });
      expect([res.status, res.json]).toEqual([401, { error: 'wrong api key' }]);
      expect(await snapshot(mine, myCheck.uuid)).toBe(before);
      expect((await api.get('/checks/', mine.apiKey)).json.checks).toHaveLength(count);
    });

    it('may not use a read-only key given in the body either', async () => {
      expect((await api.post('/checks/', { api_key: mine.apiKeyReadOnly })).json).toEqual({ error: 'wrong api key' });
    });
  });

  describe('CORS and methods', () => {
    it.each([
      ['/checks/', 'GET, POST, OPTIONS'],
      [() => `/checks/${myCheck.uuid}`, 'GET, POST, DELETE, OPTIONS'],
      [() => `/checks/${'a'.repeat(40)}`, 'GET, OPTIONS'],
      [() => `/checks/${myCheck.uuid}/pause`, 'POST, OPTIONS'],
      [() => `/checks/${myCheck.uuid}/resume`, 'POST, OPTIONS'],
      [() => `/checks/${myCheck.uuid}/pings/`, 'GET, OPTIONS'],
      [() => `/checks/${myCheck.uuid}/pings/1/body`, 'GET, OPTIONS'],
      [() => `/checks/${myCheck.uuid}/flips/`, 'GET, OPTIONS'],
      // v3 adds channel creation, Lookout's own extension, to the Healthchecks methods.
      ['/channels/', 'GET, POST, OPTIONS'],
    ])('answers OPTIONS %s with 204 and the CORS headers, without a key', async (path, methods) => {
      const res = await api.request('OPTIONS', typeof path === 'string' ? path : path());
      expect([res.status, res.text]).toEqual([204, '']);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toBe('X-Api-Key');
      expect(res.headers.get('access-control-allow-methods')).toBe(methods);
      expect(res.headers.get('access-control-max-age')).toBe('600');
    });

    it.each(['PUT', 'PATCH', 'HEAD', 'DELETE'])('answers %s /checks/ with 405, an empty body and CORS, before any key check', async (method) => {
      const res = await api.request(method, '/checks/');
      expect([res.status, res.text]).toEqual([405, '']);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    });

    it('answers 405 to POST on the ping list', async () => {
      expect((await api.post(`/checks/${myCheck.uuid}/pings/`, '', mine.apiKey)).status).toBe(405);
    });

    it('puts the CORS headers on successful answers too', async () => {
      const res = await api.get('/checks/', mine.apiKey);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('isolation between projects', () => {
    const foreign: [string, string, (uuid: string) => string, string?][] = [
      ['read', 'GET', (u) => `/checks/${u}`],
      ['update', 'POST', (u) => `/checks/${u}`, '{"name": "taken over", "channels": ""}'],
      ['delete', 'DELETE', (u) => `/checks/${u}`],
      ['pause', 'POST', (u) => `/checks/${u}/pause`, ''],
      ['resume', 'POST', (u) => `/checks/${u}/resume`, ''],
      ['rotate the ping code of', 'POST', (u) => `/checks/${u}/ping-code`, ''],
      ['list the pings of', 'GET', (u) => `/checks/${u}/pings/`],
      ['read a ping body of', 'GET', (u) => `/checks/${u}/pings/1/body`],
      ['list the flips of', 'GET', (u) => `/checks/${u}/flips/`],
    ];

    it.each(foreign)('may not %s another project’s check by UUID: 403, empty, nothing changes', async (_label, method, path, body) => {
      const before = await snapshot(theirs, theirCheck.uuid);
      const res = await api.request(method, path(theirCheck.uuid), { key: mine.apiKey, ...(body === undefined ? {} : { body }) });
      expect([res.status, res.text]).toEqual([403, '']);
      expect(await snapshot(theirs, theirCheck.uuid)).toBe(before);
    });

    it.each(['/checks/%s', '/checks/%s/flips/'])('does not find another project’s check by unique_key at %s (404, empty)', async (pattern) => {
      for (const key of [mine.apiKey, mine.apiKeyReadOnly]) {
        const res = await api.get(pattern.replace('%s', theirKey), key);
        expect([res.status, res.text]).toEqual([404, '']);
      }
    });

    it('lists only the caller’s checks, also when filtering by a shared tag', async () => {
      const names = (await api.get('/checks/?tag=shared', mine.apiKey)).json.checks.map((c: { name: string }) => c.name);
      expect(names).toEqual(['mine']);
    });

    it('lists only the caller’s channels', async () => {
      expect((await api.get('/channels/', mine.apiKey)).json).toEqual({ channels: [] });
    });

    it('does not let a create or update name another project’s channel', async () => {
      const [channel] = (await api.get('/channels/', theirs.apiKey)).json.channels;
      const res = await api.post(`/checks/${myCheck.uuid}`, { channels: channel.id }, mine.apiKey);
      expect([res.status, res.json]).toEqual([400, { error: `invalid channel identifier: ${channel.id}` }]);
    });
  });
});
