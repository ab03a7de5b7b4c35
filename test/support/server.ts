// A real Lookout server on 127.0.0.1 with a fresh database, plus a project to work in.
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { createLogger, startServer } from '../../src/server.js';
import type { ProjectRow } from '../../src/store/schema.js';
import type { TestDialect } from './databases.js';
import { newDatabaseUrl } from './databases.js';

export const SITE_ROOT = 'http://lookout.test';

export interface TestProject {
  project: ProjectRow;
  apiKey: string;
  apiKeyReadOnly: string;
  pingKey: string;
}

export interface TestServer extends RunningServer {
  /** Makes another user with a project of their own. */
  newProject(name?: string): Promise<TestProject>;
  /** Sends a request to the server. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Creates a check through the API and returns its JSON. */
  createCheck(project: TestProject, fields?: Record<string, unknown>): Promise<Record<string, any>>;
}

let users = 0;

export async function startTestServer(
  dialect: TestDialect,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: await newDatabaseUrl(dialect),
    HOST: '127.0.0.1',
    PORT: '0',
    SITE_ROOT,
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const server = await startServer(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    logger: createLogger('error'),
    onBootstrap: () => {},
  });
  const fetchFrom = (path: string, init?: RequestInit) => fetch(server.url + path, init);
  return {
    ...server,
    fetch: fetchFrom,
    async newProject(name = 'Test project') {
      users += 1;
      const user = await server.accounts.createUser(`user${users}-${Date.now()}@example.org`, 'correct horse battery');
      const created = await server.accounts.createProject(user, name);
      return { ...created, pingKey: created.project.ping_key };
    },
    async createCheck(project, fields = {}) {
      const response = await fetchFrom('/api/v3/checks/', {
        method: 'POST',
        headers: { 'X-Api-Key': project.apiKey },
        body: JSON.stringify(fields),
      });
      if (response.status !== 201) throw new Error(`create check: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, any>;
    },
  };
}
