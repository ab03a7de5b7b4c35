// GET /api/vN/badges/: the badge URLs of every tag of the caller's project, and of all checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { SITE_ROOT, startTestServer } from '../support/server.js';

describe.each(DIALECTS)('badges list on %s', (dialect) => {
  let server: TestServer;
  let project: TestProject;
  let other: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    project = await server.newProject();
    other = await server.newProject();
    await server.createCheck(project, { name: 'a', tags: 'prod backup' });
    await server.createCheck(project, { name: 'b', tags: 'db prod' });
    await server.createCheck(other, { name: 'c', tags: 'secret-tag' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const list = (key: string, version = 3) => server.fetch(`/api/v${version}/badges/`, { headers: { 'X-Api-Key': key } });

  it('lists every tag of the project and "*", each with six URLs, for read-only and read-write keys', async () => {
    for (const key of [project.apiKeyReadOnly, project.apiKey]) {
      const response = await list(key);
      expect(response.status).toBe(200);
      const { badges } = (await response.json()) as { badges: Record<string, Record<string, string>> };
      expect(Object.keys(badges)).toEqual(['backup', 'db', 'prod', '*']);
      expect(Object.keys(badges.prod ?? {})).toEqual(['svg', 'svg3', 'json', 'json3', 'shields', 'shields3']);
      const base = `${SITE_ROOT}/badge/${project.project.badge_key}/`;
      expect(badges.prod?.svg).toMatch(new RegExp(`^${base}[A-Za-z0-9_-]{8}-2/prod\\.svg$`));
      expect(badges.prod?.svg3).toMatch(new RegExp(`^${base}[A-Za-z0-9_-]{8}/prod\\.svg$`));
      expect(badges['*']?.json).toMatch(new RegExp(`^${base}[A-Za-z0-9_-]{8}-2\\.json$`));
    }
  });

  it('hands out URLs that the badge endpoint serves', async () => {
    const { badges } = (await (await list(project.apiKey)).json()) as { badges: Record<string, Record<string, string>> };
    const response = await server.fetch((badges.db?.json as string).slice(SITE_ROOT.length));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up', total: 1, grace: 0, down: 0 });
  });

  it("never shows another project's tags", async () => {
    const { badges } = (await (await list(other.apiKey)).json()) as { badges: Record<string, unknown> };
    expect(Object.keys(badges)).toEqual(['secret-tag', '*']);
  });

  it('answers 401 without a key, 405 to POST and 204 to OPTIONS', async () => {
    expect((await server.fetch('/api/v3/badges/')).status).toBe(401);
    expect((await server.fetch('/api/v3/badges/', { method: 'POST', headers: { 'X-Api-Key': project.apiKey } })).status).toBe(405);
    expect((await server.fetch('/api/v1/badges/', { method: 'OPTIONS' })).status).toBe(204);
  });
});
