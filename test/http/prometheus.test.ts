// Prometheus metrics through real HTTP, on both databases (spec §5): the three URL forms, the
// exact text, and the exact answers to missing, malformed and wrong keys.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const T0 = Date.parse('2026-05-24T03:00:00Z');
const SECOND = 1000;
const DUE = { timeout: 60, grace: 60 };

/** Healthchecks' unique_key, computed independently of the code under test. */
function uniqueKeyOf(uuid: string): string {
  return crypto.createHash('sha1').update(uuid.replace(/-/g, '').slice(0, 16)).digest('hex');
}

describe.each(DIALECTS)('Prometheus metrics on %s', (dialect) => {
  let server: TestServer;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
    const response = await server.fetch(path, { method, headers });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  async function ping(uuid: string, suffix = ''): Promise<void> {
    expect((await server.fetch(`/ping/${uuid}${suffix}`)).status).toBe(200);
  }

  const metricsPath = (project: TestProject, key = project.apiKeyReadOnly) => `/projects/${project.project.code}/metrics/${key}`;

  describe('the text', () => {
    let project: TestProject;
    let uuids: string[];

    beforeAll(async () => {
      clock.set(T0);
      project = await server.newProject();
      const specs = [
        { name: 'Backup "db"\\daily\nline 2', tags: 'db prod' },
        { name: 'web', tags: 'prod' },
        { name: 'paused', tags: '' },
        { name: 'grace', tags: 'q"x b\\x' },
        { name: 'started', tags: 'db' },
      ];
      uuids = [];
      for (const spec of specs) uuids.push((await server.createCheck(project, { ...DUE, ...spec })).uuid);
      const [backup, web, paused, grace, started] = uuids as [string, string, string, string, string];
      await ping(web);
      clock.advance(61 * SECOND);
      await ping(grace);
      clock.advance(60 * SECOND);
      await ping(backup);
      await ping(started, '/start');
      const pause = await server.fetch(`/api/v3/checks/${paused}/pause`, { method: 'POST', headers: { 'X-Api-Key': project.apiKey } });
      expect(pause.status).toBe(200);
      // Now (T0 + 121 s): backup up, web down, paused, grace in its grace period, started new and running.
    });

    function expectedText(): string {
      const labels = [
        `{name="Backup \\"db\\"\\\\daily\\nline 2", tags="db prod", unique_key="${uniqueKeyOf(uuids[0] as string)}"}`,
        `{name="web", tags="prod", unique_key="${uniqueKeyOf(uuids[1] as string)}"}`,
        `{name="paused", tags="", unique_key="${uniqueKeyOf(uuids[2] as string)}"}`,
        `{name="grace", tags="q\\"x b\\\\x", unique_key="${uniqueKeyOf(uuids[3] as string)}"}`,
        `{name="started", tags="db", unique_key="${uniqueKeyOf(uuids[4] as string)}"}`,
      ];
      const family = (name: string, values: number[]) => values.map((v, i) => `${name}${labels[i]} ${v}\n`).join('');
      return (
        '# HELP hc_check_up Whether the check is currently up (1 for yes, 0 for no).\n' +
        '# TYPE hc_check_up gauge\n' +
        family('hc_check_up', [1, 0, 1, 1, 1]) +
        '\n' +
        '# HELP hc_check_started Whether the check is currently started (1 for yes, 0 for no).\n' +
        '# TYPE hc_check_started gauge\n' +
        family('hc_check_started', [0, 0, 0, 0, 1]) +
        '\n' +
        '# HELP hc_check_grace Whether the check is currently in the grace period (1 for yes, 0 for no).\n' +
        '# TYPE hc_check_grace gauge\n' +
        family('hc_check_grace', [0, 0, 0, 1, 0]) +
        '\n' +
        '# HELP hc_check_paused Whether the check is currently paused (1 for yes, 0 for no).\n' +
        '# TYPE hc_check_paused gauge\n' +
        family('hc_check_paused', [0, 0, 1, 0, 0]) +
        '\n' +
        '# HELP hc_tag_up Whether all checks with this tag are up (1 for yes, 0 for no).\n' +
        '# TYPE hc_tag_up gauge\n' +
        'hc_tag_up{tag="b\\\\x"} 1\n' +
        'hc_tag_up{tag="db"} 1\n' +
        'hc_tag_up{tag="prod"} 0\n' +
        'hc_tag_up{tag="q\\"x"} 1\n' +
        '\n' +
        '# HELP hc_checks_total The total number of checks.\n' +
        '# TYPE hc_checks_total gauge\n' +
        'hc_checks_total 5\n' +
        '\n' +
        '# HELP hc_checks_down_total The number of checks currently down.\n' +
        '# TYPE hc_checks_down_total gauge\n' +
        'hc_checks_down_total 1\n'
      );
    }

    it('lists every check by id with escaped labels, families in order, blank lines between them', async () => {
      const answer = await get(metricsPath(project));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/plain');
      expect(answer.body).toBe(expectedText());
    });

    it('gives the same text on the legacy URL and with a bearer token', async () => {
      const legacy = await get(`/projects/${project.project.code}/checks/metrics/${project.apiKeyReadOnly}`);
      expect(legacy).toMatchObject({ status: 200, body: expectedText() });
      const bearer = await get(`/projects/${project.project.code}/metrics/`, { authorization: `Bearer ${project.apiKeyReadOnly}` });
      expect(bearer).toMatchObject({ status: 200, body: expectedText() });
      const noSlash = await get(`/projects/${project.project.code}/metrics`, { authorization: `Bearer ${project.apiKeyReadOnly}` });
      expect(noSlash).toMatchObject({ status: 200, body: expectedText() });
    });

    it('takes the project from the key, whatever project UUID is in the path', async () => {
      const other = await server.newProject();
      expect(await get(metricsPath(other, project.apiKeyReadOnly))).toMatchObject({ status: 200, body: expectedText() });
      expect(await get(`/projects/6f2a1d3e-0f4b-4c1a-9d2e-000000000000/metrics/${project.apiKeyReadOnly}`)).toMatchObject({
        status: 200,
        body: expectedText(),
      });
    });

    it('never shows another project its checks', async () => {
      const other = await server.newProject();
      const answer = await get(metricsPath(other));
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('hc_checks_total 0\n');
      expect(answer.body).not.toContain('unique_key');
      expect(answer.body).not.toContain('hc_tag_up{');
    });
  });

  it('shows a run that outlasted its grace time as down, and a running check as started', async () => {
    clock.set(T0);
    const project = await server.newProject();
    const { uuid } = await server.createCheck(project, { name: 'long run', ...DUE });
    await ping(uuid);
    await ping(uuid, '/start');
    expect((await get(metricsPath(project))).body).toContain(`hc_check_up{name="long run", tags="", unique_key="${uniqueKeyOf(uuid)}"} 1\n`);
    clock.advance(60 * SECOND);
    const body = (await get(metricsPath(project))).body;
    expect(body).toContain(`hc_check_up{name="long run", tags="", unique_key="${uniqueKeyOf(uuid)}"} 0\n`);
    expect(body).toContain(`hc_check_started{name="long run", tags="", unique_key="${uniqueKeyOf(uuid)}"} 1\n`);
    expect(body).toContain('hc_checks_down_total 1\n');
  });

  describe('keys', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await server.newProject();
    });

    it('answers 401 without an "Authorization: Bearer " header', async () => {
      const path = `/projects/${project.project.code}/metrics/`;
      expect(await get(path)).toMatchObject({ status: 401, body: '' });
      expect(await get(path, { authorization: `Token ${project.apiKeyReadOnly}` })).toMatchObject({ status: 401, body: '' });
      expect(await get(path, { authorization: `bearer ${project.apiKeyReadOnly}` })).toMatchObject({ status: 401, body: '' });
    });

    it('answers 400 for a key that is not 32 characters long', async () => {
      expect(await get(metricsPath(project, 'short'))).toMatchObject({ status: 400, body: '' });
      expect(await get(metricsPath(project, `${project.apiKeyReadOnly}x`))).toMatchObject({ status: 400, body: '' });
      const path = `/projects/${project.project.code}/metrics/`;
      expect(await get(path, { authorization: 'Bearer abc' })).toMatchObject({ status: 400, body: '' });
    });

    it('answers 403 for a read-write key or an unknown key', async () => {
      expect(await get(metricsPath(project, project.apiKey))).toMatchObject({ status: 403, body: '' });
      expect(await get(metricsPath(project, 'lkr_' + 'x'.repeat(28)))).toMatchObject({ status: 403, body: '' });
      const path = `/projects/${project.project.code}/metrics/`;
      expect(await get(path, { authorization: `Bearer ${project.apiKey}` })).toMatchObject({ status: 403, body: '' });
    });

    it('answers any method', async () => {
      expect((await get(metricsPath(project), {}, 'POST')).status).toBe(200);
    });

    it('leaves a malformed project UUID or key to the router (404)', async () => {
      expect(await get(`/projects/${project.project.code.toUpperCase()}/metrics/${project.apiKeyReadOnly}`)).toMatchObject({
        status: 404,
        body: 'not found',
      });
      expect(await get(`/projects/not-a-uuid/metrics/${project.apiKeyReadOnly}`)).toMatchObject({ status: 404 });
      expect(await get(`/projects/${project.project.code}/metrics/${'a'.repeat(31)}%21`)).toMatchObject({ status: 404 });
    });
  });
});

describe('PROMETHEUS_ENABLED=false', () => {
  it('removes every metrics URL (404)', async () => {
    const server = await startTestServer('sqlite', { env: { PROMETHEUS_ENABLED: 'false' } });
    try {
      const project = await server.newProject();
      const base = `/projects/${project.project.code}`;
      for (const [path, headers] of [
        [`${base}/metrics/${project.apiKeyReadOnly}`, {}],
        [`${base}/checks/metrics/${project.apiKeyReadOnly}`, {}],
        [`${base}/metrics/`, { authorization: `Bearer ${project.apiKeyReadOnly}` }],
      ] as const) {
        expect((await server.fetch(path, { headers })).status).toBe(404);
      }
    } finally {
      await server.close();
    }
  });
});
