// The statements an API request runs do not grow with the number of checks in the project: the
// list is one query for checks and one for their channels, the ping log a bounded few.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountedApp } from '../support/counted-app.js';
import { startCountedApp, statementsOf } from '../support/counted-app.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { seedChecks } from '../support/seed-checks.js';

describe.each(DIALECTS)('statements per Management API request on %s', (dialect) => {
  let counted: CountedApp;
  const projects: Record<'small' | 'large', { apiKey: string; first: string }> = {} as never;

  beforeAll(async () => {
    counted = await startCountedApp(await newDatabaseUrl(dialect));
    const user = await counted.accounts.createUser('counts@example.org', 'counting password');
    for (const [name, checks] of [['small', 10], ['large', 400]] as const) {
      const made = await counted.accounts.createProject(user, name);
      const first = await seedChecks(counted.store, made.project.id, { checks, pings: 150 });
      projects[name] = { apiKey: made.apiKey, first };
    }
  });
  afterAll(async () => {
    await counted?.close();
  });

  it.each([
    ['the check list', () => '/api/v3/checks/'],
    ['the ping log', (first: string) => `/api/v3/checks/${first}/pings/`],
    ['one check', (first: string) => `/api/v3/checks/${first}`],
  ])('runs as many statements for %s with 10 checks as with 400', async (_label, url) => {
    const small = await statementsOf(counted, url(projects.small.first), projects.small.apiKey);
    const large = await statementsOf(counted, url(projects.large.first), projects.large.apiKey);
    expect(small.status).toBe(200);
    expect(large.status).toBe(200);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeLessThanOrEqual(6);
  });
});
