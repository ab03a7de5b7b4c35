// The Management API's service endpoints (spec §3.15, §3.17), its limits and paths, and the
// OpenAPI document, on both databases.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ApiClient } from '../support/api-client.js';
import { addChannel, apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const METRICS_KEY = 'metrics-key-for-tests';
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe.each(DIALECTS)('Management API service endpoints on %s', (dialect) => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let api: ApiClient;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock, env: { METRICS_KEY } });
    api = apiClient(server);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('channels', () => {
    it('lists the project’s channels with id, name and kind', async () => {
      const owner = await server.newProject();
      const email = await addChannel(server, owner, { name: 'My Work Email', kind: 'email' });
      const sms = await addChannel(server, owner, { name: 'My Phone', kind: 'sms' });
      const res = await api.get('/channels/', owner.apiKey);
      expect(res.text).toBe(
        `{"channels": [{"id": "${email.code}", "name": "My Work Email", "kind": "email"}, {"id": "${sms.code}", "name": "My Phone", "kind": "sms"}]}`,
      );
    });
  });

  describe('status', () => {
    it.each(['GET', 'POST', 'PUT', 'DELETE'])('answers %s with 200 "OK" and no key', async (method) => {
      const res = await api.request(method, '/status/');
      expect([res.status, res.text]).toEqual([200, 'OK']);
    });
  });

  describe('metrics', () => {
    it('answers the counters to the right X-Metrics-Key', async () => {
      const check = await server.createCheck(project, {});
      await server.fetch(`/ping/${check.uuid}`);
      const maxId = await server.store.db.selectFrom('pings').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      const unprocessed = await server.store.db.selectFrom('flips').select('id').where('processed', 'is', null).execute();
      const res = await api.request('GET', '/metrics/', { headers: { 'X-Metrics-Key': METRICS_KEY } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        ts: Math.floor(NOW / 1000),
        max_ping_id: Number(maxId.id),
        max_notification_id: null,
        num_unprocessed_flips: unprocessed.length,
      });
    });

    it('answers 403 with an empty body to a wrong or missing key', async () => {
      for (const headers of [{}, { 'X-Metrics-Key': 'wrong' }] as Record<string, string>[]) {
        const res = await api.request('GET', '/metrics/', { headers });
        expect([res.status, res.text]).toEqual([403, '']);
      }
    });
  });

  describe('callbacks', () => {
    it('accepts a delivery status callback with 200 and an empty body, POST only', async () => {
      const url = '/notifications/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/status';
      const res = await api.request('POST', url, { body: 'MessageStatus=failed', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect([res.status, res.text]).toEqual([200, '']);
      expect((await api.get(url)).status).toBe(405);
      expect((await api.request('POST', '/notifications/nope/status')).status).toBe(404);
    });

    it('answers a bounce with "OK (bad signature)": Lookout signs no bounce address yet', async () => {
      const res = await api.request('POST', '/bounces/', { body: 'To: n.bogus@example.org\r\n\r\nbounce' });
      expect([res.status, res.text]).toEqual([200, 'OK (bad signature)']);
    });
  });

  describe('requests', () => {
    it('answers 413 to a body over 1 MB', async () => {
      const res = await api.request('POST', '/checks/', { key: project.apiKey, body: `{"name": "${'x'.repeat(1024 * 1024)}"}` });
      expect(res.status).toBe(413);
    });

    it.each(['/api/v1/checks', '/api/v2/checks/', '/api/v3/channels', '/api/v1/status'])('answers %s with or without the trailing slash', async (path) => {
      const withSlash = path.endsWith('/') ? path : `${path}/`;
      const without = withSlash.slice(0, -1);
      expect((await api.get(withSlash, project.apiKey)).status).toBe(200);
      expect((await api.get(without, project.apiKey)).status).toBe(200);
    });

    it('never lets Fastify’s schema validation answer in its own format', async () => {
      const res = await api.get(`/checks/${'x'.repeat(36)}/flips/?start=notanumber`, project.apiKey);
      expect([res.status, res.json]).toEqual([404, { error: 'not found' }]);
      const check = await server.createCheck(project, {});
      const bad = await api.post(`/checks/${check.uuid}`, { timeout: '60' }, project.apiKey);
      expect(bad.json).toEqual({ error: 'json validation error: timeout is not a number' });
    });
  });

  describe('OpenAPI document', () => {
    let doc: any;

    beforeAll(async () => {
      const res = await server.fetch('/api/openapi.json');
      expect(res.status).toBe(200);
      doc = await res.json();
    });

    it('is a valid OpenAPI 3.1 document', async () => {
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(doc.openapi).toBe('3.1.0');
    });

    it('documents every Management API endpoint of every version with its methods', () => {
      for (const version of [1, 2, 3]) {
        const base = `/api/v${version}`;
        expect(Object.keys(doc.paths[`${base}/checks/`]).sort()).toEqual(['get', 'post']);
        expect(Object.keys(doc.paths[`${base}/checks/{id}`]).sort()).toEqual(['delete', 'get', 'post']);
        for (const path of ['/checks/{id}/pings/', '/checks/{id}/pings/{n}/body', '/checks/{id}/flips/', '/channels/', '/status/', '/metrics/']) {
          expect(doc.paths[`${base}${path}`]).toHaveProperty('get');
        }
        for (const path of ['/checks/{id}/pause', '/checks/{id}/resume', '/notifications/{id}/status', '/bounces/']) {
          expect(doc.paths[`${base}${path}`]).toHaveProperty('post');
        }
      }
      expect(doc.paths['/api/v3/checks/{id}/ping-code']).toHaveProperty('post');
      expect(doc.paths['/api/v1/checks/{id}/ping-code']).toBeUndefined();
    });

    it('documents the API key and leaves undocumented methods out', () => {
      expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
      expect(doc.paths['/api/v3/checks/'].get.security).toEqual([{ apiKey: [] }]);
      expect(doc.paths['/api/v3/checks/']).not.toHaveProperty('put');
      expect(doc.paths['/api/v3/checks/']).not.toHaveProperty('options');
      expect(doc.paths['/api/v3/checks/'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('unique');
    });

    const methodsOf = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    const jsonSchema = (operation: any, status: number) => operation.responses[status].content['application/json'].schema;

    it('documents the Cron Checks API with bearer keys and the seed’s answers', () => {
      expect(methodsOf('/cron-checks')).toEqual(['get', 'post']);
      expect(methodsOf('/cron-checks/{id}')).toEqual(['delete', 'get', 'put']);
      expect(methodsOf('/servers')).toEqual(['get', 'post']);
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const path of ['/cron-checks', '/cron-checks/{id}', '/servers']) {
        for (const operation of Object.values<any>(doc.paths[path])) expect(operation.security).toEqual([{ bearer: [] }]);
      }

      const list = doc.paths['/cron-checks'].get;
      expect(Object.keys(jsonSchema(list, 200).properties)).toEqual(['checks', 'plan_limit', 'current_count', 'plan']);
      const create = doc.paths['/cron-checks'].post;
      expect(create.requestBody.content['application/json'].schema.required).toEqual(['name', 'interval_seconds']);
      expect(Object.keys(jsonSchema(create, 201).properties)).toEqual(['check', 'ping_urls']);
      expect(jsonSchema(create, 400).properties.issues.items.required).toEqual(['field', 'reason']);
      expect(jsonSchema(create, 402).properties.error.enum).toEqual(['plan_limit_reached']);

      const get = doc.paths['/cron-checks/{id}'].get;
      expect(get.parameters.map((p: any) => `${p.in} ${p.name}`).sort()).toEqual(['path id', 'query pings_offset']);
      expect(Object.keys(jsonSchema(get, 200).properties)).toEqual(['check', 'ping_urls', 'pings', 'pings_total']);
      for (const method of ['get', 'put', 'delete']) {
        expect(jsonSchema(doc.paths['/cron-checks/{id}'][method], 404).properties.error.enum).toEqual(['not_found']);
      }
      expect(doc.paths['/cron-checks/{id}'].put.requestBody.content['application/json'].schema.properties).toHaveProperty('enabled');
    });

    it('documents the channels API, badges and Prometheus metrics', () => {
      expect(methodsOf('/api/v3/channels/{id}')).toEqual(['delete', 'get', 'post']);
      expect(methodsOf('/api/v3/channels/{id}/test')).toEqual(['post']);
      expect(methodsOf('/api/v3/channels/{id}/notifications/')).toEqual(['get']);
      expect(methodsOf('/api/v3/checks/{id}/notifications/')).toEqual(['get']);
      expect(doc.paths['/api/v3/channels/{id}'].get.security).toEqual([{ apiKey: [] }]);
      expect(doc.paths['/api/v1/channels/{id}']).toBeUndefined();
      // Creating channels is v3 only; every version lists them.
      expect(methodsOf('/api/v3/channels/')).toEqual(['get', 'post']);
      expect(methodsOf('/api/v1/channels/')).toEqual(['get']);
      expect(doc.paths['/api/v3/channels/'].post.requestBody.content['application/json'].schema.required).toEqual(['kind', 'config']);
      for (const path of ['/badge/{*}', '/b/{*}', '/projects/{code}/metrics/{key}', '/projects/{code}/checks/metrics/{key}', '/projects/{code}/metrics/']) {
        expect(methodsOf(path)).toEqual(['get']);
      }
      expect(doc.paths['/projects/{code}/metrics/'].get.security).toEqual([{ bearer: [] }]);
    });
  });
});
