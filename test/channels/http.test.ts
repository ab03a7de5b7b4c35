// Outbound HTTP: the private address guard (after DNS and on every redirect), redirects, timeouts
// and the wording of failures.
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/channels/address-policy.js';
import { OutboundHttp, ensureSuccess } from '../../src/channels/http.js';
import type { StandIn } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';
import { expectTransportError } from './fixtures.js';

const PRIVATE = 'Connections to private IP addresses are not allowed';

describe('OutboundHttp', () => {
  let target: StandIn;
  const clients: OutboundHttp[] = [];
  const client = (options: ConstructorParameters<typeof OutboundHttp>[0] = {}) => {
    const created = new OutboundHttp({ timeoutMs: 5000, ...options });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    target = await startStandIn();
  });
  afterAll(async () => {
    await target.close();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    target.requests.length = 0;
  });

  describe('private addresses', () => {
    it('refuses a host name that resolves to 127.0.0.1', async () => {
      await expectTransportError(client().request('GET', `http://localhost:${target.port}/`), PRIVATE);
      expect(target.requests).toHaveLength(0);
    });

    it.each(['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '169.254.169.254', '[fd00:ec2::254]', '[fe80::1]', '[fc00::1]', '0.0.0.0', '[::]', '[ff02::1]'])(
      'refuses the literal address %s without connecting',
      async (host) => {
        await expectTransportError(client().request('GET', `http://${host}:${target.port}/`), PRIVATE);
      },
    );

    it('connects through the guarded lookup when the policy allows the resolved addresses', async () => {
      const http = client({ addressPolicy: (a) => a === '127.0.0.1' || a === '::1' });
      expect(await http.request('GET', `http://localhost:${target.port}/ok`)).toMatchObject({ status: 200, text: 'ok' });
      expect(target.requests.map((r) => r.path)).toEqual(['/ok']);
    });

    it('refuses a redirect from an allowed server to a private one', async () => {
      const publicServer = await startStandIn({
        host: '127.0.0.2',
        reply: { status: 302, headers: { location: `http://127.0.0.1:${target.port}/secret` } },
      });
      try {
        // In this test 127.0.0.2 counts as public, 127.0.0.1 stays private.
        const http = client({ addressPolicy: (a) => a === '127.0.0.2' || isPublicAddress(a) });
        await expectTransportError(http.request('GET', `${publicServer.url}/start`), PRIVATE);
        expect(publicServer.requests.map((r) => r.path)).toEqual(['/start']);
        expect(target.requests).toHaveLength(0);
      } finally {
        await publicServer.close();
      }
    });

    it('refuses a redirect to a host name that resolves privately', async () => {
      const publicServer = await startStandIn({
        host: '127.0.0.2',
        reply: { status: 307, headers: { location: `http://localhost:${target.port}/secret` } },
      });
      try {
        const http = client({ addressPolicy: (a) => a === '127.0.0.2' });
        await expectTransportError(http.request('POST', `${publicServer.url}/`, { body: 'x' }), PRIVATE);
        expect(target.requests).toHaveLength(0);
      } finally {
        await publicServer.close();
      }
    });

    it('connects when private addresses are allowed, and for trusted (operator-configured) targets', async () => {
      const allowed = await client({ allowPrivate: true }).request('GET', `http://localhost:${target.port}/a`);
      expect(allowed).toMatchObject({ status: 200, text: 'ok' });
      const trusted = await client().request('GET', `${target.url}/b`, { trusted: true });
      expect(trusted.status).toBe(200);
      expect(target.requests.map((r) => r.path)).toEqual(['/a', '/b']);
    });
  });

  describe('requests', () => {
    it('sends JSON, forms and raw bodies with the Lookout user agent', async () => {
      const http = client({ allowPrivate: true });
      await http.request('POST', `${target.url}/json?x=1`, { json: { a: 'é' }, headers: { 'X-Custom': 'yes' } });
      await http.request('PUT', `${target.url}/form`, { form: { a: 'b c', n: 2 } });
      await http.request('POST', `${target.url}/raw`, { body: 'plain', headers: { 'content-type': 'text/plain' } });
      const [json, form, raw] = target.requests;
      expect(json).toMatchObject({ method: 'POST', path: '/json', query: { x: '1' }, body: '{"a":"é"}' });
      expect(json?.headers).toMatchObject({ 'user-agent': 'Lookout', 'content-type': 'application/json', 'x-custom': 'yes' });
      expect(form).toMatchObject({ method: 'PUT', body: 'a=b+c&n=2' });
      expect(form?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(raw).toMatchObject({ body: 'plain' });
      expect(raw?.headers['content-type']).toBe('text/plain');
    });

    it('returns any status with its headers and body', async () => {
      target.replyOnce({ status: 418, headers: { 'x-answer': '42' }, body: 'teapot' });
      const response = await client({ allowPrivate: true }).request('GET', `${target.url}/`);
      expect(response.status).toBe(418);
      expect(response.headers['x-answer']).toBe('42');
      expect(response.text).toBe('teapot');
    });

    it('reads at most maxResponseBytes of an answer', async () => {
      target.replyOnce({ status: 200, body: 'x'.repeat(200_000) });
      const response = await client({ allowPrivate: true, maxResponseBytes: 1_000 }).request('GET', `${target.url}/big`);
      expect(response).toMatchObject({ status: 200 });
      expect(response.text).toBe('x'.repeat(1_000));
    });

    it('follows up to 3 redirects, turning POST into GET on 302/303 and keeping it on 307', async () => {
      target.replyOnce(
        { status: 307, headers: { location: '/two' } },
        { status: 302, headers: { location: `${target.url}/three` } },
        { status: 303, headers: { location: '/four' } },
      );
      const response = await client({ allowPrivate: true }).request('POST', `${target.url}/one`, { body: 'data' });
      expect(response.status).toBe(200);
      expect(target.requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ['POST', '/one', 'data'],
        ['POST', '/two', 'data'],
        ['GET', '/three', ''],
        ['GET', '/four', ''],
      ]);
    });

    it('fails after a 4th redirect', async () => {
      target.replyAlways({ status: 301, headers: { location: '/again' } });
      try {
        await expectTransportError(client({ allowPrivate: true }).request('GET', `${target.url}/`), 'Too many redirects');
        expect(target.requests).toHaveLength(4);
      } finally {
        target.replyAlways({ status: 200, body: 'ok' });
      }
    });

    it('drops credentials when a redirect leaves the origin', async () => {
      const other = await startStandIn();
      try {
        target.replyOnce({ status: 307, headers: { location: `${other.url}/x` } });
        await client({ allowPrivate: true }).request('GET', `${target.url}/`, { headers: { Authorization: 'Bearer s3cret' } });
        expect(target.requests[0]?.headers.authorization).toBe('Bearer s3cret');
        expect(other.requests[0]?.headers.authorization).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it('refuses redirects to other schemes and URLs that are not http(s)', async () => {
      target.replyOnce({ status: 302, headers: { location: 'file:///etc/passwd' } });
      const http = client({ allowPrivate: true });
      await expectTransportError(http.request('GET', `${target.url}/`), 'Only http and https URLs are supported');
      await expectTransportError(http.request('GET', 'ftp://example.org/'), 'Only http and https URLs are supported');
      await expectTransportError(http.request('GET', 'not a url'), 'Invalid URL');
    });
  });

  describe('failures', () => {
    it('times out when the caller’s signal aborts', async () => {
      target.replyOnce('hang');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expectTransportError(
        client({ allowPrivate: true }).request('GET', `${target.url}/slow`, { signal: controller.signal }),
        'Connection timed out',
      );
    });

    it('ends every request that shares the caller’s signal when it aborts', async () => {
      const controller = new AbortController();
      const http = client({ allowPrivate: true });
      // One finishes normally first: it leaves nothing behind on the signal.
      expect((await http.request('GET', `${target.url}/fast`, { signal: controller.signal })).text).toBe('ok');
      target.replyAlways('hang');
      try {
        const requests = [1, 2, 3].map((n) =>
          expectTransportError(http.request('GET', `${target.url}/slow/${n}`, { signal: controller.signal }), 'Connection timed out'),
        );
        setTimeout(() => controller.abort(), 50);
        await Promise.all(requests);
      } finally {
        target.replyAlways({ status: 200, body: 'ok' });
      }
    });

    it('times out on its own limit too', async () => {
      target.replyOnce('hang');
      await expectTransportError(client({ allowPrivate: true, timeoutMs: 150 }).request('GET', `${target.url}/`), 'Connection timed out');
    });

    it('reports refused connections, dropped connections and unknown hosts', async () => {
      const http = client({ allowPrivate: true });
      const closed: Server = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await expectTransportError(http.request('GET', `http://127.0.0.1:${port}/`), 'Connection failed');
      target.replyOnce('reset');
      await expectTransportError(http.request('GET', `${target.url}/`), 'Connection failed');
      await expectTransportError(http.request('GET', 'http://no-such-host.invalid/'), 'Could not resolve host');
    });

    it('reports a TLS handshake failure', async () => {
      // A plain-HTTP server answering a TLS client.
      await expectTransportError(client({ allowPrivate: true }).request('GET', `https://127.0.0.1:${target.port}/`), 'TLS handshake failed');
    });

    it('accepts only 200, 201, 202 and 204 as success', () => {
      const response = (status: number) => ({ status, headers: {}, text: 'nope' });
      for (const status of [200, 201, 202, 204]) expect(() => ensureSuccess(response(status))).not.toThrow();
      for (const status of [203, 301, 400, 500]) {
        expect(() => ensureSuccess(response(status))).toThrow(`Received status code ${status}`);
      }
      expect(() => ensureSuccess(response(400), () => ({ remoteMessage: 'bad token' }))).toThrow(
        'Received status code 400 with a message: "bad token"',
      );
    });
  });
});
