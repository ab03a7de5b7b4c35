// Bad input to the ping endpoint through real HTTP, on both databases: malformed identifiers and
// exit statuses, bad run ids and run metadata, bodies far over the limit or not UTF-8, oversized
// URLs and headers, and framing that only a raw socket can send. Each request gets a precise answer
// (docs/pinging.md, or Node's own 400/417/431 for requests HTTP itself forbids), stores nothing it
// refuses, and the server answers a normal ping afterwards.
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PingRow } from '../../src/store/schema.js';
import { DIALECTS } from '../support/databases.js';
import { HEADERS_TOO_LARGE, MAX_UPLOAD_BYTES, PING_CONTENT_TYPE } from '../support/ping-answers.js';
import type { RawAnswer, RawRequestOptions, RequestShape } from '../support/raw-http.js';
import { chunkedBody, rawRequest, requestBytes } from '../support/raw-http.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const PING_BODY_LIMIT = 10_000;
const MIB = 1024 * 1024;

interface Check {
  uuid: string;
  id: number;
  pingCode: string;
  slug: string;
}

describe.each(DIALECTS)('bad input to the ping endpoint on %s', (dialect) => {
  let server: TestServer;
  let project: TestProject;
  let port: number;
  let canary: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    port = Number(new URL(server.url).port);
    project = await server.newProject();
    canary = (await server.createCheck(project, { name: 'canary' })).uuid as string;
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    // Whatever the test sent, the server is still up and still records pings.
    const res = await server.fetch(`/ping/${canary}`);
    expect([res.status, await res.text()]).toEqual([200, 'OK']);
  });

  let checks = 0;
  /** A new check with a slug of its own. */
  async function newCheck(fields: Record<string, unknown> = {}): Promise<Check> {
    checks += 1;
    const slug = `check-${checks}`;
    const { uuid } = (await server.createCheck(project, { slug, ...fields })) as { uuid: string };
    const row = await server.store.db.selectFrom('checks').select(['id', 'ping_code']).where('code', '=', uuid).executeTakeFirstOrThrow();
    return { uuid, id: row.id, pingCode: row.ping_code, slug };
  }

  async function pingsOf(check: Check): Promise<PingRow[]> {
    return server.store.db.selectFrom('pings').selectAll().where('check_id', '=', check.id).orderBy('n').execute();
  }

  function send(shape: RequestShape, options?: RawRequestOptions): Promise<RawAnswer> {
    return rawRequest(port, [requestBytes(shape)], options);
  }

  /** Status, body and content type: what a client sees of an answer. */
  function seen(answer: RawAnswer): [number, string, string | undefined] {
    return [answer.status, answer.body.toString(), answer.headers['content-type']];
  }

  describe('malformed check identifiers', () => {
    const swapCase = (s: string) => s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    it.each<[string, (c: Check, pingKey: string) => string]>([
      ['an uppercase UUID', (c) => `/ping/${c.uuid.toUpperCase()}`],
      ['a UUID one character short', (c) => `/ping/${c.uuid.slice(0, -1)}`],
      ['a UUID one character long', (c) => `/ping/${c.uuid}0`],
      ['a UUID with a non-hex digit', (c) => `/ping/g${c.uuid.slice(1)}`],
      ['a UUID in braces', (c) => `/ping/{${c.uuid}}`],
      ['a UUID URN', (c) => `/ping/urn:uuid:${c.uuid}`],
      ['a UUID with its first digit percent-encoded', (c) => `/ping/%${c.uuid.charCodeAt(0).toString(16)}${c.uuid.slice(1)}`],
      ['a percent-encoded slash before the action', (c) => `/ping/${c.uuid}%2Fstart`],
      ['a percent-encoded NUL after the UUID', (c) => `/ping/${c.uuid}/%00`],
      ['percent-encoded unicode in place of the UUID', () => '/ping/%C3%A9t%C3%A9'],
      ['a ".." segment after the UUID', (c) => `/ping/${c.uuid}/../${c.uuid}`],
      ['a ".." segment before the UUID', (c) => `/ping/../ping/${c.uuid}`],
      ['a "." segment before the UUID', (c) => `/ping/./${c.uuid}`],
      ['a percent-encoded ".." after the UUID', (c) => `/ping/${c.uuid}/%2e%2e`],
      ['a double slash before the UUID', (c) => `/ping//${c.uuid}`],
      ['a double slash before /ping', (c) => `//ping/${c.uuid}`],
      ['a double slash after the UUID', (c) => `/ping/${c.uuid}//`],
      ['a double slash before the action', (c) => `/ping/${c.uuid}//start`],
      ['a fragment after the UUID', (c) => `/ping/${c.uuid}#start`],
      ['a semicolon parameter after the UUID', (c) => `/ping/${c.uuid};start`],
      ['a backslash for the slash', (c) => `/ping\\${c.uuid}`],
      ['a ping code one character short', (c) => `/ping/${c.pingCode.slice(0, 7)}`],
      ['a ping code one character long', (c) => `/ping/${c.pingCode}x`],
      ['a ping code in the other case', (c) => `/ping/${swapCase(c.pingCode)}`],
      ['a ping code with two suffixes', (c) => `/ping/${c.pingCode}/start/log`],
      ['a ping code with a slash after the action', (c) => `/ping/${c.pingCode}/fail/`],
      ['a slug with percent-encoded unicode', (c, key) => `/ping/${key}/${c.slug}%C3%A9`],
      ['a slug of 600 characters', (_c, key) => `/ping/${key}/${'a'.repeat(600)}`],
      ['a 15 KB path', (c) => `/ping/${c.uuid}/${'a'.repeat(15_000)}`],
      ['an empty ping path', () => '/ping/'],
      ['no ping path at all', () => '/ping'],
    ])('answers %s with 404 "not found" and stores nothing', async (_label, target) => {
      const check = await newCheck();
      const answer = await send({ target: target(check, project.pingKey) });
      expect(seen(answer)).toEqual([404, 'not found', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('does not route a ".." path out of /ping/ to the API', async () => {
      const answer = await send({ target: '/ping/../api/v3/checks/', headers: [['X-Api-Key', project.apiKey]] });
      expect(seen(answer)).toEqual([404, 'not found', PING_CONTENT_TYPE]);
    });

    it('refuses raw non-ASCII bytes in the request target with 400 before routing', async () => {
      const check = await newCheck();
      const answer = await send({ target: Buffer.concat([Buffer.from('/ping/'), Buffer.from('é', 'utf8'), Buffer.from(check.uuid)]) });
      expect(answer.status).toBe(400);
      expect(await pingsOf(check)).toEqual([]);
    });

    it.each<[string, (u: string) => string, [string, string][], string | Buffer]>([
      ['/ping with a broken JSON body', () => '/ping', [['Content-Type', 'application/json']], '{'],
      ['/ping/ with an empty JSON body', () => '/ping/', [['Content-Type', 'application/json']], ''],
      ['//ping/<uuid> with a 2 MB text body', (u) => `//ping/${u}`, [['Content-Type', 'text/plain']], Buffer.alloc(2 * MIB)],
    ])('answers %s with 404 "not found"', async (_label, target, headers, body) => {
      const check = await newCheck();
      const answer = await send({ method: 'POST', target: target(check.uuid), headers, body });
      expect(seen(answer)).toEqual([404, 'not found', PING_CONTENT_TYPE]);
    });

    it.each([
      ['after the UUID', (u: string) => `/ping/${u}%`],
      ['as a path segment', (u: string) => `/ping/${u}/%zz`],
    ])('answers a malformed percent-escape %s in plain text like any unknown URL', async (_label, target) => {
      const check = await newCheck();
      const answer = await send({ target: target(check.uuid) });
      expect(seen(answer)).toEqual([404, 'not found', PING_CONTENT_TYPE]);
    });
  });

  describe('absurd exit statuses', () => {
    it.each<[string, (c: Check, pingKey: string) => string]>([
      ['2^32 on a UUID URL', (c) => `/ping/${c.uuid}/4294967296`],
      ['300 digits on a UUID URL', (c) => `/ping/${c.uuid}/${'9'.repeat(300)}`],
      ['2^32 on a ping code URL', (c) => `/ping/${c.pingCode}/4294967296`],
      ['300 digits on a slug URL', (c, key) => `/ping/${key}/${c.slug}/${'9'.repeat(300)}`],
      ['256 on a slug URL with ?create=1', (c, key) => `/ping/${key}/${c.slug}/256?create=1`],
    ])('refuses %s with 400 "invalid url format" and stores nothing', async (_label, target) => {
      const check = await newCheck();
      const answer = await send({ target: target(check, project.pingKey) });
      expect(seen(answer)).toEqual([400, 'invalid url format', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it.each(['1e3', '0x10', '+1', '-1', '1.0', '%31', '１'])('answers 404 for the exit status "%s", which is not digits', async (status) => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}/${encodeURI(status)}` });
      expect(seen(answer)).toEqual([404, 'not found', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('reads an exit status with leading zeros up to four digits', async () => {
      const check = await newCheck();
      expect(seen(await send({ target: `/ping/${check.uuid}/0255` }))).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect((await pingsOf(check)).map((p) => [p.kind, p.exit_status])).toEqual([['fail', 255]]);
    });

    it('reads an exit status with more than four digits of leading zeros as Healthchecks does', async () => {
      const check = await newCheck();
      expect(seen(await send({ target: `/ping/${check.uuid}/00000` }))).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect(seen(await send({ target: `/ping/${check.uuid}/000001` }))).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect((await pingsOf(check)).map((p) => [p.kind, p.exit_status])).toEqual([
        [null, 0],
        ['fail', 1],
      ]);
    });
  });

  describe('bad run ids', () => {
    const uuid = '0b6c5f9e-2a4d-4c8e-9f10-3d2e1a0b9c8d';
    it.each([
      ['empty', ''],
      ['one character too long', `${uuid}0`],
      ['one character short', uuid.slice(0, -1)],
      ['not hex', `x${uuid.slice(1)}`],
      ['in braces', `{${uuid}}`],
      ['without dashes', uuid.replace(/-/g, '')],
      ['with a NUL byte', `${uuid}%00`],
      ['10 KB long', 'a'.repeat(10_240)],
      ['padded with spaces', `%20${uuid}%20`],
    ])('refuses a run id that is %s with 400 "invalid uuid format" and stores nothing', async (_label, rid) => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}/start?rid=${rid}` });
      expect(seen(answer)).toEqual([400, 'invalid uuid format', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('answers a repeated rid with a documented answer and stores one of the values given', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}?rid=nope&rid=${uuid}` });
      const pings = await pingsOf(check);
      if (answer.status === 200) expect(pings.map((p) => p.rid)).toEqual([uuid]);
      else expect([seen(answer), pings]).toEqual([[400, 'invalid uuid format', PING_CONTENT_TYPE], []]);
    });
  });

  describe('bad run metadata', () => {
    const refused: [string, string][] = [
      ['runtime=1e999', 'invalid runtime'],
      ['runtime=NaN', 'invalid runtime'],
      ['runtime=Infinity', 'invalid runtime'],
      ['runtime=-0.5', 'invalid runtime'],
      ['runtime=0x10', 'invalid runtime'],
      ['runtime=1%2C5', 'invalid runtime'],
      [`runtime=${'9'.repeat(300)}`, 'invalid runtime'],
      ['runtime=315360001', 'invalid runtime'],
      ['memory=-1', 'invalid memory'],
      ['memory=1e3', 'invalid memory'],
      ['memory=1.5', 'invalid memory'],
      ['memory=NaN', 'invalid memory'],
      ['memory=9999999999999999', 'invalid memory'],
      ['exit_code=%2B1', 'invalid exit_code'],
      ['exit_code=-1', 'invalid exit_code'],
      ['exit_code=1.0', 'invalid exit_code'],
      ['exit_code=NaN', 'invalid exit_code'],
      ['exit_code=256', 'invalid exit_code'],
      ['exit_code=4294967296', 'invalid exit_code'],
      [`exit_code=${'9'.repeat(300)}`, 'invalid exit_code'],
    ];

    it.each(refused)('refuses %s in the query string with 400 "%s" and stores nothing', async (query, message) => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}?${query}` });
      expect(seen(answer)).toEqual([400, message, PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it.each(refused)('refuses %s as a form field with 400 "%s" and stores nothing', async (field, message) => {
      const check = await newCheck();
      const answer = await send({
        method: 'POST',
        target: `/ping/${check.uuid}`,
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: field,
      });
      expect(seen(answer)).toEqual([400, message, PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('stores the largest values it accepts exactly', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}?runtime=315360000&memory=999999999999999&exit_code=255` });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toMatchObject([{ runtime: 315360000, memory: 999999999999999, exit_status: 255, kind: 'fail' }]);
    });

    it('answers repeated metadata parameters with a documented answer and stores one of the values given', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}?runtime=1&runtime=x&memory=5&memory=6&exit_code=0&exit_code=1` });
      const pings = await pingsOf(check);
      if (answer.status === 200) {
        expect(pings).toHaveLength(1);
        expect(pings[0]?.memory === 5 || pings[0]?.memory === 6).toBe(true);
        expect(pings[0]?.exit_status === 0 || pings[0]?.exit_status === 1).toBe(true);
      } else {
        expect([seen(answer), pings]).toEqual([[400, 'invalid runtime', PING_CONTENT_TYPE], []]);
      }
    });

    it('cuts a 200 KB failure message in a form body to 100 KB', async () => {
      const check = await newCheck();
      const message = 'm'.repeat(200 * 1024);
      const answer = await send({
        method: 'POST',
        target: `/ping/${check.uuid}/fail`,
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: `failure_message=${message}`,
      });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      const [stored] = await pingsOf(check);
      expect(stored?.failure_message).toBe('m'.repeat(100 * 1024));
      expect(stored?.body?.length).toBe(PING_BODY_LIMIT);
    });

    it(
      'stores a failure message holding a NUL without failing the pings committed with it',
      async () => {
        const bad = await newCheck();
        const good = await newCheck();
        const [badAnswer, ...goodAnswers] = await Promise.all([
          server.fetch(`/ping/${bad.uuid}/fail?failure_message=before%00after`),
          ...Array.from({ length: 5 }, () => server.fetch(`/ping/${good.uuid}`)),
        ]);
        expect(await Promise.all(goodAnswers.map(async (res) => [res.status, await res.text()]))).toEqual(
          Array.from({ length: 5 }, () => [200, 'OK']),
        );
        expect(await pingsOf(good)).toHaveLength(5);
        expect(badAnswer?.status).toBe(200);
        expect((await pingsOf(bad))[0]?.failure_message).toMatch(/^before.*after$/s);
      },
    );
  });

  describe('bodies far over the limit', () => {
    it('refuses a declared Content-Length over 2.5 MiB with 400 before reading any of it', async () => {
      const check = await newCheck();
      // Only the head is sent: the answer cannot wait for the body.
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Content-Length', String(MAX_UPLOAD_BYTES + 1)]] });
      expect(seen(answer)).toEqual([400, 'request body too large', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('refuses a Content-Length of 20 digits with 400', async () => {
      const check = await newCheck();
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Content-Length', '9'.repeat(20)]] });
      expect(answer.status).toBe(400);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('refuses an oversized body announced with Expect: 100-continue without inviting it first', async () => {
      const check = await newCheck();
      const answer = await send({
        method: 'POST',
        target: `/ping/${check.uuid}`,
        headers: [
          ['Content-Length', String(20 * MIB)],
          ['Expect', '100-continue'],
        ],
      });
      expect([answer.interim, ...seen(answer)]).toEqual([[], 400, 'request body too large', PING_CONTENT_TYPE]);
    });

    it('keeps exactly PING_BODY_LIMIT bytes of a body of exactly 2.5 MiB', async () => {
      const check = await newCheck();
      const body = crypto.randomBytes(MAX_UPLOAD_BYTES);
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}/log`, body });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      const [stored] = await pingsOf(check);
      expect(Buffer.compare(stored?.body as Buffer, body.subarray(0, PING_BODY_LIMIT))).toBe(0);
    });

    it('reads a 2 MB chunked body and keeps exactly PING_BODY_LIMIT bytes of it', async () => {
      const check = await newCheck();
      const head = requestBytes({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Transfer-Encoding', 'chunked']] });
      const answer = await rawRequest(port, [head, ...chunkedBody(2_000_000, { fill: 0x62 })]);
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      const [stored] = await pingsOf(check);
      expect(stored?.body?.equals(Buffer.alloc(PING_BODY_LIMIT, 0x62))).toBe(true);
    });

    it('stops reading a chunked body that goes on past 2.5 MiB with 400 "request body too large", storing nothing', async () => {
      const check = await newCheck();
      const head = requestBytes({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Transfer-Encoding', 'chunked']] });
      // A 20 MB upload as far as the server can tell: it must refuse it after 2.5 MiB, so the
      // client sends that much and waits for the answer.
      const answer = await rawRequest(port, [head, ...chunkedBody(MAX_UPLOAD_BYTES + 1, { complete: false })]);
      expect(seen(answer)).toEqual([400, 'request body too large', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('answers a client that sends a whole 20 MB chunked body before reading', async () => {
      const check = await newCheck();
      const head = requestBytes({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Transfer-Encoding', 'chunked']] });
      const answer = await rawRequest(port, [head, ...chunkedBody(20 * MIB)], { sendAll: true });
      expect(seen(answer)).toEqual([400, 'request body too large', PING_CONTENT_TYPE]);
    });
  });

  describe('bodies that are not UTF-8', () => {
    it.each([
      ['a lone continuation byte', [0x80]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['an encoded UTF-16 surrogate', [0xed, 0xa0, 0x80]],
      ['a truncated 3-byte sequence', [0xe2, 0x82]],
      ['0xFF and 0xFE', [0xff, 0xfe]],
      ['NUL bytes', [0x00, 0x00, 0x41]],
    ])('stores a body holding %s byte for byte', async (_label, bytes) => {
      const check = await newCheck();
      const body = Buffer.concat([Buffer.from('out: '), Buffer.from(bytes), Buffer.from(' end')]);
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, body });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect((await pingsOf(check))[0]?.body?.equals(body)).toBe(true);
    });

    it('stores a non-UTF-8 form body byte for byte and still reads its fields', async () => {
      const check = await newCheck();
      const body = Buffer.concat([Buffer.from('exit_code=3&junk='), Buffer.from([0xff, 0xc3, 0x28])]);
      const answer = await send({
        method: 'POST',
        target: `/ping/${check.uuid}`,
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body,
      });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toMatchObject([{ kind: 'fail', exit_status: 3 }]);
      expect((await pingsOf(check))[0]?.body?.equals(body)).toBe(true);
    });

    it('finds keywords around invalid bytes, non-ASCII keywords included', async () => {
      const check = await newCheck({ filter_http_body: true, success_kw: 'réussi', failure_kw: 'ERROR' });
      const post = (body: Buffer) => send({ method: 'POST', target: `/ping/${check.uuid}`, body });
      await post(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('job réussi'), Buffer.from([0xc3])]));
      const afterSuccess = await server.store.db.selectFrom('checks').select('status').where('id', '=', check.id).executeTakeFirstOrThrow();
      await post(Buffer.concat([Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(' ERROR '), Buffer.from([0x80])]));
      const afterFailure = await server.store.db.selectFrom('checks').select('status').where('id', '=', check.id).executeTakeFirstOrThrow();
      expect([afterSuccess.status, afterFailure.status]).toEqual(['up', 'down']);
      expect((await pingsOf(check)).map((p) => p.kind)).toEqual([null, 'fail']);
    });

    it('keeps a body cut in the middle of a character byte-exact and still classifies it', async () => {
      const check = await newCheck({ filter_http_body: true, success_kw: 'SUCCESS' });
      // The euro sign's three bytes straddle the limit: two are kept, one is not.
      const body = Buffer.from(`SUCCESS${'x'.repeat(PING_BODY_LIMIT - 9)}€€`);
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, body });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      const [stored] = await pingsOf(check);
      expect(stored?.kind).toBeNull();
      expect(stored?.body?.equals(body.subarray(0, PING_BODY_LIMIT))).toBe(true);
    });
  });

  describe('content types', () => {
    it.each(['text/plain;;', 'text/plain; charset="unterminated', 'application/x-www-form-urlencoded;', '*/*', 'multipart/form-data'])(
      'records a POST whose content type is the odd but well-formed "%s"',
      async (contentType) => {
        const check = await newCheck();
        const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Content-Type', contentType]], body: 'x=1' });
        expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
        expect((await pingsOf(check)).map((p) => p.body?.toString())).toEqual(['x=1']);
      },
    );

    it.each(['', 'text', 'text/', 'é/é'])('records a POST whose content type is the malformed "%s"', async (contentType) => {
      const check = await newCheck();
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers: [['Content-Type', contentType]], body: 'x=1' });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
    });
  });

  describe('very long URLs and headers', () => {
    it('answers a 100 KB path with 431, as Node counts the request line in the header limit', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}/${'a'.repeat(100 * 1024)}` });
      expect(answer.status).toBe(HEADERS_TOO_LARGE);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('answers a 100 KB query string with 431', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}?failure_message=${'a'.repeat(100 * 1024)}` });
      expect(answer.status).toBe(HEADERS_TOO_LARGE);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('answers a 100 KB header with 431', async () => {
      const check = await newCheck();
      const answer = await send({ target: `/ping/${check.uuid}`, headers: [['User-Agent', 'a'.repeat(100 * 1024)]] });
      expect(answer.status).toBe(HEADERS_TOO_LARGE);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('answers 3,000 headers that together pass 16 KB with 431', async () => {
      const check = await newCheck();
      const headers = Array.from({ length: 3000 }, (_, i): [string, string] => [`X-Header-${i}`, 'v']);
      const answer = await send({ target: `/ping/${check.uuid}`, headers });
      expect(answer.status).toBe(HEADERS_TOO_LARGE);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('records a ping sent with 3,000 tiny headers that stay under 16 KB', async () => {
      const check = await newCheck();
      const headers = Array.from({ length: 3000 }, (): [string, string] => ['a', 'b']);
      const answer = await send({ target: `/ping/${check.uuid}`, headers });
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toHaveLength(1);
    });
  });

  describe('framing oddities', () => {
    interface Framing {
      label: string;
      headers: [string, string][];
      body: string;
      /** What Lookout stores, or null when Node refuses the request with `status`. */
      stored: string | null;
      status: number;
    }
    const framings: Framing[] = [
      { label: 'chunked with a Content-Length', headers: [['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], body: '3\r\nabc\r\n0\r\n\r\n', stored: null, status: 400 },
      { label: 'gzip without chunked', headers: [['Transfer-Encoding', 'gzip']], body: 'abc', stored: null, status: 400 },
      { label: 'chunked twice', headers: [['Transfer-Encoding', 'chunked, chunked']], body: '3\r\nabc\r\n0\r\n\r\n', stored: null, status: 400 },
      { label: 'chunked, then identity in a second header', headers: [['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'identity']], body: '3\r\nabc\r\n0\r\n\r\n', stored: null, status: 400 },
      { label: 'a chunk size that is not hex', headers: [['Transfer-Encoding', 'chunked']], body: 'zz\r\nabc\r\n0\r\n\r\n', stored: null, status: 400 },
      { label: 'a chunk size past 64 bits', headers: [['Transfer-Encoding', 'chunked']], body: 'fffffffffffffffffff\r\nabc\r\n0\r\n\r\n', stored: null, status: 400 },
      { label: 'two different Content-Lengths', headers: [['Content-Length', '3'], ['Content-Length', '4']], body: 'abcd', stored: null, status: 400 },
      { label: 'a signed Content-Length', headers: [['Content-Length', '+3']], body: 'abc', stored: null, status: 400 },
      { label: 'a hex Content-Length', headers: [['Content-Length', '0x3']], body: 'abc', stored: null, status: 400 },
      { label: 'a negative Content-Length', headers: [['Content-Length', '-1']], body: '', stored: null, status: 400 },
      { label: 'a NUL byte in a header', headers: [['X-Note', 'a\u0000b'], ['Content-Length', '3']], body: 'abc', stored: null, status: 400 },
      { label: 'an unknown expectation', headers: [['Expect', 'teapot'], ['Content-Length', '3']], body: 'abc', stored: null, status: 417 },
      { label: 'gzip, chunked (kept as sent)', headers: [['Transfer-Encoding', 'gzip, chunked']], body: '3\r\nabc\r\n0\r\n\r\n', stored: 'abc', status: 200 },
      { label: 'CHUNKED in capitals', headers: [['Transfer-Encoding', 'CHUNKED']], body: '3\r\nabc\r\n0\r\n\r\n', stored: 'abc', status: 200 },
      { label: 'chunk extensions', headers: [['Transfer-Encoding', 'chunked']], body: '3;name=value\r\nabc\r\n0\r\n\r\n', stored: 'abc', status: 200 },
      { label: 'trailer fields', headers: [['Transfer-Encoding', 'chunked']], body: '3\r\nabc\r\n0\r\nX-Trailer: yes\r\n\r\n', stored: 'abc', status: 200 },
      { label: 'a Content-Length padded with spaces', headers: [['Content-Length', '  3  ']], body: 'abc', stored: 'abc', status: 200 },
    ];

    it.each(framings)('answers a body framed with $label with $status', async ({ headers, body, stored, status }) => {
      const check = await newCheck();
      const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers, body });
      expect(answer.status).toBe(status);
      const pings = await pingsOf(check);
      expect(pings.map((p) => p.body?.toString() ?? null)).toEqual(stored === null ? [] : [stored]);
      if (stored !== null) expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
    });

    it.each([
      ['a Content-Length longer than the body', [['Content-Length', '100']], 'abc'],
      ['a chunked body without its last chunk', [['Transfer-Encoding', 'chunked']], '3\r\nabc\r\n'],
    ] as [string, [string, string][], string][])(
      'answers 400 and stores nothing when a client sends %s and hangs up',
      async (_label, headers, body) => {
        const check = await newCheck();
        const answer = await send({ method: 'POST', target: `/ping/${check.uuid}`, headers, body }, { hangUp: true });
        expect(answer.status).toBe(400);
        expect(await pingsOf(check)).toEqual([]);
      },
    );

    it.each([
      ['an unknown method', (u: string) => `FROBNICATE /ping/${u} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['bare LF line endings', (u: string) => `GET /ping/${u} HTTP/1.1\nHost: x\nConnection: close\n\n`],
      ['a space inside the target', (u: string) => `GET /ping/${u} x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['an HTTP/2 preface', () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
      ['binary garbage', () => '\u0000\u0001\u0002\u00ff\r\n\r\n'],
    ])('answers %s with 400 and stores nothing', async (_label, request) => {
      const check = await newCheck();
      const answer = await rawRequest(port, [Buffer.from(request(check.uuid), 'latin1')]);
      expect(answer.status).toBe(400);
      expect(await pingsOf(check)).toEqual([]);
    });

    it('records a ping sent over HTTP/1.0 without a Host header', async () => {
      const check = await newCheck();
      const answer = await rawRequest(port, [`GET /ping/${check.uuid} HTTP/1.0\r\n\r\n`]);
      expect(seen(answer)).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect(await pingsOf(check)).toHaveLength(1);
    });

    it.each(['TRACE', 'DELETE'])('records a %s request with its method', async (method) => {
      const check = await newCheck();
      expect(seen(await send({ method, target: `/ping/${check.uuid}` }))).toEqual([200, 'OK', PING_CONTENT_TYPE]);
      expect((await pingsOf(check)).map((p) => p.method)).toEqual([method]);
    });

    it.each(['PROPFIND', 'MKCALENDAR', 'PURGE'])('records a %s request with its method', async (method) => {
      const check = await newCheck();
      expect(seen(await send({ method, target: `/ping/${check.uuid}` }))).toEqual([200, 'OK', PING_CONTENT_TYPE]);
    });
  });
});
