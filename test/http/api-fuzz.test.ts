// 2,000 random JSON documents (from a seeded generator, so a failure can be replayed) posted to
// create and to update: every answer must be 200, 201 or 400 with a well-formed body, a refused
// create must create nothing, and a refused update must leave the check byte-identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { addChannel, apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const DOCUMENTS = 2000;
const WORKERS = 8;
const SEED = 0x5eed;

/** mulberry32: small, fast and good enough to pick test inputs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON literal written as is (floats like 60.0 and integers beyond 2^53 survive this way). */
class Raw {
  constructor(readonly text: string) {}
}

const FIELDS = [
  'name', 'slug', 'tags', 'desc', 'timeout', 'grace', 'schedule', 'tz', 'manual_resume', 'methods', 'channels',
  'start_kw', 'success_kw', 'failure_kw', 'subject', 'subject_fail', 'filter_subject', 'filter_body',
  'filter_http_body', 'filter_default_fail', 'unique', 'max_duration', 'alert_on_missed', 'alert_on_fail',
  'alert_on_stuck', 'alert_on_long', 'colour',
];
const VALUES: unknown[] = [
  '', 'a', 'Foo', 'foo-bar_1', 'x'.repeat(101), 'k'.repeat(201), '日本 ✓', '\u0000\n', '* * * * *', '0 0 * * *',
  '*-*~1 12:00', 'bogus cron', '61 * * * *', 'Europe/Riga', 'Europe/Kiev', 'UTC', 'Mars/Base', 'POST', 'GET', '*',
  'alpha', 'alpha,beta', 'dup', 'alpha,', 'prod db', 0, 1, 59, 60, 61, 3600, 86400, 31536000, 31536001, -1, 1.5,
  new Raw('60.0'), new Raw('1e3'), new Raw('123456789012345678901234567890'), new Raw('-0'), true, false, null, [],
  ['name'], ['name', 'slug'], ['tags', 'timeout', 'grace'], ['bogus'], [1], {}, { a: 1 },
];
const BROKEN_BODIES = ['', '{', '[1, 2]', '"text"', '42', 'null', '{"name": "x",}', '\ufeff{}', '{"a": NaN}', '{"timeout": Infinity}'];

function write(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(write).join(', ')}]`;
  return JSON.stringify(value);
}

function randomDocument(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  if (random() < 0.05) return pick(BROKEN_BODIES);
  const fields = Array.from({ length: Math.floor(random() * 6) }, () => pick(FIELDS));
  const entries = [...new Set(fields)].map((field) => `${JSON.stringify(field)}: ${write(random() < 0.3 ? pick(VALUES) : plausible(field, random))}`);
  return `{${entries.join(', ')}}`;
}

/** A value of the right type for the field, often (not always) valid. */
function plausible(field: string, random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  if (['timeout', 'grace', 'max_duration'].includes(field)) return pick([60, 300, 3600, 86400, 59, 31536001]);
  if (field.startsWith('filter_') || field.startsWith('alert_on_') || field === 'manual_resume') return random() < 0.5;
  if (field === 'unique') return pick([['name'], ['slug', 'tags'], []]);
  if (field === 'schedule') return pick(['*/5 * * * *', 'Mon *-*-* 09:00', 'nonsense']);
  if (field === 'tz') return pick(['UTC', 'America/New_York', 'Nowhere/Land']);
  if (field === 'methods') return pick(['', 'POST']);
  if (field === 'channels') return pick(['', '*', 'alpha', 'beta,alpha', 'dup', 'gamma']);
  if (field === 'slug') return pick(['nightly', 'a-b_c', 'Bad Slug']);
  return `${field}-${Math.floor(random() * 5)}`;
}

describe.each(DIALECTS)('Management API fuzzing on %s', (dialect) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = apiClient(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function checkCount(project: TestProject): Promise<number> {
    const row = await server.store.db
      .selectFrom('checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', project.project.id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  function expectWellFormed(res: { status: number; json: any }): void {
    expect([200, 201, 400]).toContain(res.status);
    if (res.status === 400) {
      expect(Object.keys(res.json)).toEqual(['error']);
      expect(typeof res.json.error).toBe('string');
    } else {
      expect(Object.keys(res.json)[0]).toBe('name');
      expect(res.json.uuid).toMatch(/^[0-9a-f-]{36}$/);
    }
  }

  async function worker(index: number, documents: string[]): Promise<void> {
    const project = await server.newProject(`fuzz ${index}`);
    await addChannel(server, project, { name: 'alpha' });
    await addChannel(server, project, { name: 'beta' });
    await addChannel(server, project, { name: 'dup' });
    await addChannel(server, project, { name: 'dup' });
    const target = (await server.createCheck(project, { name: 'target' })).uuid as string;
    for (const [i, document] of documents.entries()) {
      const version = (i % 3) + 1;
      const context = `document ${JSON.stringify(document)} on v${version}`;

      const countBefore = await checkCount(project);
      const created = await api.request('POST', `/api/v${version}/checks/`, { key: project.apiKey, body: document });
      expectWellFormed(created);
      expect(await checkCount(project), context).toBe(countBefore + (created.status === 201 ? 1 : 0));

      const before = await api.get(`/api/v${version}/checks/${target}`, project.apiKey);
      const updated = await api.request('POST', `/api/v${version}/checks/${target}`, { key: project.apiKey, body: document });
      expectWellFormed(updated);
      expect(updated.status, context).not.toBe(201);
      const after = await api.get(`/api/v${version}/checks/${target}`, project.apiKey);
      expect(after.text, context).toBe(updated.status === 400 ? before.text : updated.text);
    }
  }

  it(
    `answers ${DOCUMENTS} random documents with 200, 201 or 400 and never leaves a half-made change`,
    async () => {
      const random = prng(SEED);
      const documents = Array.from({ length: DOCUMENTS }, () => randomDocument(random));
      const share = DOCUMENTS / WORKERS;
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w, documents.slice(w * share, (w + 1) * share))));
    },
    400_000,
  );
});
