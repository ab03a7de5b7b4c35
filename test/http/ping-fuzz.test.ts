// Seeded random pings against a running server: valid and broken UUIDs, ping codes, ping keys and
// slugs, every suffix, query strings and form fields full of junk, binary and oversized bodies,
// sent 20 at a time. Every answer must be one docs/pinging.md documents (never a 5xx, never a
// dropped connection), every 200/201 must be exactly one stored ping, and afterwards every check
// must agree with its pings. A failure prints the seed; rerun it with PING_FUZZ_SEED=<seed>.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { TestDialect } from '../support/databases.js';
import { checkStateProblems } from '../support/check-invariants.js';
import { MAX_UPLOAD_BYTES, documentedBodyOfLength, undocumentedPingAnswer } from '../support/ping-answers.js';
import { chunkedBody, rawRequest, requestBytes } from '../support/raw-http.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const REQUESTS: Record<TestDialect, number> = { sqlite: 3000, postgres: 500 };
const IN_FLIGHT = 20;

/** mulberry32: a tiny, well-mixed 32-bit generator, so that a seed replays the same requests. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(choices: readonly [number, T][]): T {
    let roll = this.next() * choices.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (choices.at(-1) as [number, T])[1];
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  hex(length: number): string {
    return Array.from({ length }, () => '0123456789abcdef'[this.int(16)]).join('');
  }

  /** Printable ASCII without space, so that it can stand in a request target as it is. */
  word(maxLength: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&\'()*+,;=:@'): string {
    return Array.from({ length: 1 + this.int(maxLength) }, () => alphabet[this.int(alphabet.length)]).join('');
  }
}

interface Target {
  uuid: string;
  pingCode: string;
}

interface World {
  checks: Target[];
  /** Ping keys with the slugs their projects hold (`twin` twice, so it is ambiguous). */
  slugs: { pingKey: string; slugs: string[] }[];
}

interface FuzzRequest {
  parts: Buffer[];
  head: boolean;
  /** A run id no other request uses, so that its ping can be found; null when not sent. */
  uniqueRid: string | null;
  /** What was sent, for failure messages. */
  summary: string;
}

const SUFFIXES: [number, (r: Random) => string][] = [
  [40, () => ''],
  [5, () => '/'],
  [10, () => '/start'],
  [10, () => '/fail'],
  [8, () => '/log'],
  [10, (r) => `/${r.int(300)}`],
  [3, (r) => `/${'0'.repeat(r.int(3))}${r.int(10)}`],
  [3, (r) => `/${'9'.repeat(1 + r.int(40))}`],
  [3, () => '/start/'],
  [3, (r) => `/${r.word(12)}`],
  [2, () => '//'],
];

const CONTENT_TYPES = [
  '',
  'text',
  'text/',
  'é/é',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/json',
  'application/octet-stream',
  'multipart/form-data; boundary=xyz',
  '*/*',
  'text/plain;;',
];

const METHODS: [number, string][] = [
  [2, 'PROPFIND'],
  [2, 'PURGE'],
  [35, 'GET'],
  [30, 'POST'],
  [8, 'HEAD'],
  [8, 'PUT'],
  [5, 'DELETE'],
  [5, 'OPTIONS'],
  [5, 'PATCH'],
  [4, 'TRACE'],
];

function uuidFrom(r: Random): string {
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}`;
}

function mangle(r: Random, value: string): string {
  return r.pick([
    () => value.toUpperCase(),
    () => value.slice(0, -1),
    () => `${value}${r.hex(1)}`,
    () => value.replace(/-/g, ''),
    () => `x${value.slice(1)}`,
    () => value.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())),
  ])();
}

function randomPath(r: Random, world: World): string {
  const check = r.pick(world.checks);
  const suffix = r.weighted(SUFFIXES)(r);
  return r.weighted<() => string>([
    [40, () => `/ping/${r.chance(0.8) ? check.uuid : r.chance(0.5) ? uuidFrom(r) : mangle(r, check.uuid)}${suffix}`],
    [20, () => `/ping/${r.chance(0.8) ? check.pingCode : mangle(r, check.pingCode)}${suffix}`],
    [
      30,
      () => {
        const { pingKey, slugs } = r.pick(world.slugs);
        const key = r.chance(0.9) ? pingKey : r.chance(0.5) ? r.word(22, 'abcdefghijklmnopqrstuvwxyz0123456789') : mangle(r, pingKey);
        const slug = r.weighted<() => string>([
          [60, () => r.pick(slugs)],
          [25, () => `fuzz-${r.int(30)}`],
          [5, () => r.pick(slugs).toUpperCase()],
          [10, () => r.word(20)],
        ])();
        return `/ping/${key}/${slug}${suffix === '/' ? '' : suffix}`;
      },
    ],
    [
      10,
      () =>
        r.pick([
          '/ping',
          '/ping/',
          `//ping/${check.uuid}`,
          '/ping//',
          `/ping/../ping/${check.uuid}`,
          `/ping/./${check.uuid}`,
          `/ping/${check.uuid}/${check.uuid}`,
          `/ping/${r.word(60)}`,
          `/ping/${encodeURIComponent(r.bytes(6).toString('latin1'))}`,
          `/ping/${check.uuid}/${encodeURIComponent('ünïcödé')}`,
        ]),
    ],
  ])();
}

/** A junk or valid value for a metadata field, percent-encoded. */
function metadataValue(r: Random, name: string): string {
  const junk = () => encodeURIComponent(r.pick(['', ' ', 'NaN', '-1', '1e999', '0x10', '+1', '1.0', 'Infinity', '9'.repeat(1 + r.int(40)), r.word(10)]));
  switch (name) {
    case 'runtime':
      return r.chance(0.5) ? String(r.int(100_000) / 100) : junk();
    case 'memory':
      return r.chance(0.5) ? String(r.int(2 ** 31)) : junk();
    case 'exit_code':
      return r.chance(0.5) ? String(r.int(256)) : junk();
    case 'create':
      return r.pick(['1', '0', 'true', '']);
    default:
      return [...r.bytes(r.int(200))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function randomFields(r: Random, names: string[]): string[] {
  const count = r.int(5);
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = r.pick(names);
    fields.push(`${name}=${metadataValue(r, name)}`);
  }
  return fields;
}

function randomRequest(r: Random, world: World, index: number): FuzzRequest {
  const method = r.weighted(METHODS);
  let target = randomPath(r, world);
  const query = randomFields(r, ['runtime', 'memory', 'exit_code', 'failure_message', 'create', 'foo']);
  // Most requests carry a run id of their own, so that their ping can be found afterwards.
  const uniqueRid = r.chance(0.85) ? `${uuidFrom(r).slice(0, 24)}${index.toString(16).padStart(12, '0')}` : null;
  if (uniqueRid) query.push(`rid=${r.chance(0.2) ? uniqueRid.toUpperCase() : uniqueRid}`);
  else if (r.chance(0.3)) query.push(`rid=${encodeURIComponent(r.pick(['', 'nope', `{${uuidFrom(r)}}`, 'a'.repeat(r.int(5000))]))}`);
  if (query.length > 0) target += `?${r.shuffle(query).join('&')}`;

  const headers: [string, string][] = [];
  if (r.chance(0.5)) headers.push(['Content-Type', r.pick(CONTENT_TYPES)]);
  if (r.chance(0.5)) headers.push(['User-Agent', r.word(r.chance(0.005) ? 20_000 : 300, 'abcdefghijklmnopqrstuvwxyz/.;() 0123456789')]);
  if (r.chance(0.1)) headers.push(['X-Forwarded-For', r.word(40)]);

  let parts: Buffer[];
  const kind = r.weighted<string>([
    [40, 'none'],
    [20, 'text'],
    [12, 'binary'],
    [15, 'form'],
    [6, 'large'],
    [3, 'chunked'],
    [3, 'declared-oversize'],
    [1, 'chunked-oversize'],
  ]);
  const text = () => [r.word(100, 'abcdefghij \n'), r.pick(['', 'OK', 'ERR', 'GO', 'confirm'])].join(' ');
  switch (kind) {
    case 'none':
      parts = [requestBytes({ method, target, headers })];
      break;
    case 'text':
      parts = [requestBytes({ method, target, headers, body: text() })];
      break;
    case 'binary':
      parts = [requestBytes({ method, target, headers, body: r.bytes(r.int(4000)) })];
      break;
    case 'form':
      if (r.chance(0.8)) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      parts = [requestBytes({ method, target, headers, body: randomFields(r, ['runtime', 'memory', 'exit_code', 'failure_message']).join('&') })];
      break;
    case 'large':
      parts = [requestBytes({ method, target, headers, body: r.bytes(10_000 + r.int(300_000)) })];
      break;
    case 'chunked':
      headers.push(['Transfer-Encoding', 'chunked']);
      parts = [requestBytes({ method, target, headers }), ...chunkedBody(r.int(200_000), { fill: 0x41 + r.int(26) })];
      break;
    case 'declared-oversize':
      // Only the head: the server must refuse (or route) it without waiting for the body.
      headers.push(['Content-Length', String(MAX_UPLOAD_BYTES + 1 + r.int(50_000_000))]);
      parts = [requestBytes({ method, target, headers })];
      break;
    default:
      // A body that goes on: sent up to just past the limit, where the server must answer.
      headers.push(['Transfer-Encoding', 'chunked']);
      parts = [requestBytes({ method, target, headers }), ...chunkedBody(MAX_UPLOAD_BYTES + 1, { complete: false })];
  }
  return { parts, head: method === 'HEAD', uniqueRid, summary: `${method} ${target.slice(0, 300)} (${kind} body)` };
}

describe.each(DIALECTS)('random pings on %s', (dialect) => {
  let server: TestServer;
  let port: number;
  let world: World;

  beforeAll(async () => {
    // No pruning, so that every check keeps all of its pings.
    server = await startTestServer(dialect, { env: { PING_LOG_LIMIT: '1000000' } });
    port = Number(new URL(server.url).port);
    const main = await server.newProject('main');
    const other = await server.newProject('other');
    const make = async (project: TestProject, fields: Record<string, unknown>) => (await server.createCheck(project, fields)).uuid as string;
    const uuids = [
      ...(await Promise.all(Array.from({ length: 5 }, () => make(main, {})))),
      await make(main, { slug: 'alpha' }),
      await make(main, { slug: 'beta' }),
      await make(main, { slug: 'twin' }),
      await make(main, { slug: 'twin' }),
      await make(main, { slug: 'filtered', filter_http_body: true, success_kw: 'OK', failure_kw: 'ERR', start_kw: 'GO' }),
      await make(main, { slug: 'post-only', methods: 'POST' }),
      await make(other, { slug: 'alpha' }),
    ];
    const rows = await server.store.db.selectFrom('checks').select(['code', 'ping_code']).where('code', 'in', uuids).execute();
    world = {
      checks: rows.map((row) => ({ uuid: row.code, pingCode: row.ping_code })),
      slugs: [
        { pingKey: main.pingKey, slugs: ['alpha', 'beta', 'twin', 'filtered', 'post-only'] },
        { pingKey: other.pingKey, slugs: ['alpha'] },
      ],
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`answers ${REQUESTS[dialect]} random pings as documented and stores exactly the ones it accepts`, async () => {
    const seed = Number(process.env.PING_FUZZ_SEED ?? crypto.randomInt(2 ** 31));
    const replay = `seed ${seed}: rerun with PING_FUZZ_SEED=${seed}`;
    const random = new Random(seed);
    const requests = Array.from({ length: REQUESTS[dialect] }, (_, i) => randomRequest(random, world, i));

    const problems: string[] = [];
    const accepted = new Set<string>();
    const refused = new Set<string>();
    let acceptedCount = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++] as FuzzRequest;
        try {
          const answer = await rawRequest(port, request.parts, { head: request.head });
          const length = Number(answer.headers['content-length']);
          const body = request.head ? (documentedBodyOfLength(answer.status, length) ?? `<${length} bytes>`) : answer.body.toString();
          const problem = undocumentedPingAnswer(answer.status, body, answer.headers['content-type']);
          if (problem) problems.push(`${problem} for ${request.summary}`);
          const ok = answer.status === 200 || answer.status === 201;
          if (ok) acceptedCount += 1;
          if (request.uniqueRid) (ok ? accepted : refused).add(request.uniqueRid);
        } catch (error) {
          problems.push(`${(error as Error).message} for ${request.summary}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(problems, replay).toEqual([]);

    const stored = await server.store.db.selectFrom('pings').select('rid').execute();
    expect(stored.length, `${replay}: one stored ping per 200/201 answer`).toBe(acceptedCount);
    const storedRids = stored.map((p) => p.rid).filter((rid): rid is string => rid !== null);
    const storedRidSet = new Set(storedRids);
    const unexpected = storedRids.filter((rid) => refused.has(rid));
    const missing = [...accepted].filter((rid) => !storedRidSet.has(rid));
    expect({ unexpected, missing, duplicated: storedRids.length - storedRidSet.size }, replay).toEqual({
      unexpected: [],
      missing: [],
      duplicated: 0,
    });
    expect(await checkStateProblems(server.store.db), replay).toEqual([]);

    const after = await server.fetch(`/ping/${world.checks[0]?.uuid}`);
    expect(after.status, replay).toBe(200);
  }, 180_000);
});

describe.each(DIALECTS)('a burst of auto-provisioning pings on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    // One ping per batch: several batches are written side by side, as they are under load or
    // with several Lookout processes on one PostgreSQL database.
    server = await startTestServer(dialect, { env: { INGEST_MAX_BATCH: '1' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates the check once and records every ping on it', async () => {
    const { pingKey } = await server.newProject();
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await server.fetch(`/ping/${pingKey}/burst?create=1`);
        return `${res.status} ${await res.text()}`;
      }),
    );
    const created = await server.store.db.selectFrom('checks').select('n_pings').where('slug', '=', 'burst').execute();
    expect(created).toEqual([{ n_pings: 40 }]);
    expect(answers.filter((a) => a === '201 Created')).toHaveLength(1);
    expect(answers.filter((a) => a === '200 OK')).toHaveLength(39);
  });
});
