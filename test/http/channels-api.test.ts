// The native channels API through real HTTP on both databases: one channel (read, change, delete),
// test sends to a stand-in webhook, and the notification logs of a channel and of a check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelView } from '../../src/notify/channel-service.js';
import { DIALECTS } from '../support/databases.js';
import { eventually } from '../support/manual-sleep.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import type { StandIn } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';

// The stand-in listens on 127.0.0.1, which integrations refuse unless the operator allows it.
process.env.INTEGRATIONS_ALLOW_PRIVATE_IPS = 'true';

describe.each(DIALECTS)('channels API on %s', (dialect) => {
  let server: TestServer;
  let project: TestProject;
  let other: TestProject;
  let standIn: StandIn;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    project = await server.newProject();
    other = await server.newProject('Other');
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await server?.close();
    await standIn?.close();
  });

  async function call(method: string, path: string, options: { key?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (options.key !== undefined) headers['X-Api-Key'] = options.key;
    const response = await server.fetch(`/api/v3${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text), headers: response.headers };
  }

  async function webhook(owner: TestProject = project, name = 'ops hook'): Promise<ChannelView> {
    return server.alerting.channels.create(owner.project, {
      kind: 'webhook',
      name,
      config: { method_down: 'POST', url_down: `${standIn.url}/down`, body_down: '$NAME is $STATUS', url_up: '' },
    });
  }

  it('shows a channel with its configuration and state to a read-write key', async () => {
    const { channel } = await webhook();
    const check = await server.createCheck(project, { name: 'db backup', channels: channel.code });
    const res = await call('GET', `/channels/${channel.code}`, { key: project.apiKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.json).toEqual({
      id: channel.code,
      name: 'ops hook',
      kind: 'webhook',
      config: { method_down: 'POST', url_down: `${standIn.url}/down`, body_down: '$NAME is $STATUS', url_up: '' },
      disabled: false,
      last_notify: null,
      last_notify_duration_ms: null,
      last_error: '',
      checks: [check.uuid],
    });
  });

  it('creates a channel with POST /api/v3/channels/, validating its configuration', async () => {
    const config = { method_down: 'POST', url_down: `${standIn.url}/down`, body_down: 'down', url_up: '' };
    const created = await call('POST', '/channels/', { key: project.apiKey, body: { kind: 'webhook', name: 'created hook', config } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'created hook', kind: 'webhook', config });
    const listed = await call('GET', '/channels/', { key: project.apiKey });
    expect(listed.json.channels).toContainEqual({ id: created.json.id, name: 'created hook', kind: 'webhook' });
    const invalid = await call('POST', '/channels/', { key: project.apiKey, body: { kind: 'webhook', name: 'x', config: {} } });
    expect(invalid.status).toBe(400);
    expect(typeof invalid.json.error).toBe('string');
    expect((await call('POST', '/channels/', { key: project.apiKeyReadOnly, body: { kind: 'webhook', config } })).status).toBe(401);
    expect((await server.fetch('/api/v1/channels/', { method: 'POST', headers: { 'X-Api-Key': project.apiKey } })).status).toBe(405);
  });

  it('refuses read-only keys, missing keys and other projects', async () => {
    const { channel } = await webhook();
    expect(await call('GET', `/channels/${channel.code}`, { key: project.apiKeyReadOnly })).toMatchObject({ status: 401, json: { error: 'wrong api key' } });
    expect(await call('GET', `/channels/${channel.code}`)).toMatchObject({ status: 401, json: { error: 'missing api key' } });
    expect((await call('GET', `/channels/${channel.code}`, { key: other.apiKey })).status).toBe(403);
    expect((await call('DELETE', `/channels/${channel.code}`, { key: other.apiKey })).status).toBe(403);
    expect(await call('GET', '/channels/6f2a1d3e-0f4b-4c1a-9d2e-000000000000', { key: project.apiKey })).toMatchObject({ status: 404, json: { error: 'not found' } });
    expect((await call('GET', '/channels/not-a-uuid', { key: project.apiKey })).status).toBe(404);
  });

  it('renames a channel and replaces its configuration', async () => {
    const { channel } = await webhook();
    const res = await call('POST', `/channels/${channel.code}`, {
      key: project.apiKey,
      body: { name: 'renamed', config: { url_up: `${standIn.url}/up` } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'renamed', config: { url_up: `${standIn.url}/up` } });
    // Now it sends nothing for "down": queuing leaves it out.
    const row = await server.store.db.selectFrom('channels').selectAll().where('code', '=', channel.code).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ send_up: 1, send_down: 0 });
  });

  it('answers bad input with a precise 400 and changes nothing', async () => {
    const { channel } = await webhook();
    const url = `/channels/${channel.code}`;
    expect(await call('POST', url, { key: project.apiKey, body: { config: { url_down: 'ftp://example.org' } } })).toMatchObject({
      status: 400,
      json: { error: 'invalid config: url_down: must be an http or https URL' },
    });
    expect(await call('POST', url, { key: project.apiKey, body: { config: {} } })).toMatchObject({ status: 400, json: { error: 'invalid config: configuration needs url_down or url_up' } });
    expect(await call('POST', url, { key: project.apiKey, body: { kind: 'slack' } })).toMatchObject({ status: 400, json: { error: 'kind cannot be changed' } });
    expect(await call('POST', url, { key: project.apiKey, body: { name: 'x'.repeat(101) } })).toMatchObject({ status: 400 });
    expect(await call('POST', url, { key: project.apiKey, body: { name: 5 } })).toMatchObject({ status: 400, json: { error: 'name is not a string' } });
    expect(await call('POST', url, { key: project.apiKey, body: '{not json' })).toMatchObject({ status: 400, json: { error: 'could not parse request body' } });
    expect(await call('POST', url, { key: project.apiKey, body: '[1]' })).toMatchObject({ status: 400 });
    expect((await call('GET', url, { key: project.apiKey })).json).toMatchObject({ name: 'ops hook', config: { url_down: `${standIn.url}/down` } });
  });

  it('deletes a channel', async () => {
    const { channel } = await webhook();
    expect((await call('DELETE', `/channels/${channel.code}`, { key: project.apiKey })).json).toMatchObject({ id: channel.code });
    expect((await call('GET', `/channels/${channel.code}`, { key: project.apiKey })).status).toBe(404);
  });

  it('test-sends a group through its members', async () => {
    const { channel: member } = await webhook(project, 'member');
    const { channel: group } = await server.alerting.channels.create(project.project, { kind: 'group', name: 'everyone', config: { channels: [member.code] } });
    const sent = standIn.requests.length;
    expect(await call('POST', `/channels/${group.code}/test`, { key: project.apiKey })).toMatchObject({ status: 200, json: { ok: true, error: '' } });
    expect(standIn.requests.slice(sent)).toMatchObject([{ method: 'POST', path: '/down', body: 'TEST is down' }]);
  });

  it('sends a test notification and reports the outcome', async () => {
    const { channel } = await webhook(project, 'tested');
    const sent = standIn.requests.length;
    const ok = await call('POST', `/channels/${channel.code}/test`, { key: project.apiKey });
    expect(ok).toMatchObject({ status: 200, json: { ok: true, error: '' } });
    expect(standIn.requests.slice(sent)).toMatchObject([{ method: 'POST', path: '/down', body: 'TEST is down' }]);

    standIn.replyOnce({ status: 500 });
    const failed = await call('POST', `/channels/${channel.code}/test`, { key: project.apiKey });
    expect(failed).toMatchObject({ status: 200, json: { ok: false, error: 'Received status code 500' } });

    const log = await call('GET', `/channels/${channel.code}/notifications/`, { key: project.apiKey });
    expect(log.json.notifications).toMatchObject([
      { check: null, channel: channel.code, status: 'down', reason: 'test', state: 'failed', error: 'Received status code 500', attempts: 1 },
      { check: null, channel: channel.code, status: 'down', reason: 'test', state: 'sent', error: '' },
    ]);
    // A failed test shows on the channel, which stays enabled.
    expect((await call('GET', `/channels/${channel.code}`, { key: project.apiKey })).json).toMatchObject({ disabled: false, last_error: 'Received status code 500' });
  });

  it('delivers a check failure to its webhook and lists it in both logs', async () => {
    const { channel } = await webhook(project, 'failures');
    const check = await server.createCheck(project, { name: 'nightly', channels: channel.code });
    const before = standIn.requests.length;
    expect((await server.fetch(`/ping/${check.uuid}/fail`)).status).toBe(200);
    await eventually(() => standIn.requests.length > before);
    expect(standIn.requests.slice(before)).toMatchObject([{ method: 'POST', path: '/down', body: 'nightly is down' }]);

    await eventually(async () => (await call('GET', `/checks/${check.uuid}/notifications/`, { key: project.apiKey })).json.notifications[0]?.state === 'sent');
    const log = await call('GET', `/checks/${check.uuid}/notifications/`, { key: project.apiKey });
    expect(log.json.notifications).toMatchObject([{ check: check.uuid, channel: channel.code, status: 'down', reason: 'fail', attempts: 1, error: '' }]);
    expect(log.json.notifications[0].sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const byChannel = await call('GET', `/channels/${channel.code}/notifications/?limit=1`, { key: project.apiKey });
    expect(byChannel.json.notifications).toHaveLength(1);
    expect(await call('GET', `/channels/${channel.code}/notifications/?limit=0`, { key: project.apiKey })).toMatchObject({ status: 400 });
    expect((await call('GET', `/checks/${check.uuid}/notifications/`, { key: other.apiKey })).status).toBe(403);
  });

  it('answers CORS preflight requests and refuses other methods', async () => {
    const { channel } = await webhook();
    const preflight = await call('OPTIONS', `/channels/${channel.code}`);
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS');
    expect((await call('PUT', `/channels/${channel.code}`, { key: project.apiKey })).status).toBe(405);
    expect((await call('GET', `/channels/${channel.code}/test`, { key: project.apiKey })).status).toBe(405);
  });
});
