// Signal through signal-cli's JSON-RPC, over a TCP socket, a Unix socket and HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signal } from '../../src/channels/signal/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { NOTIFICATION_ID, PLAIN_DOWN, PLAIN_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

type Answer = (request: { id: string }) => unknown[];

/** A stand-in signal-cli daemon: records request lines, answers each with the lines `answer` gives. */
async function startRpcSocket(listenOn: { port: number; host: string } | { path: string }) {
  const received: any[] = [];
  let answer: Answer = (request) => [{ jsonrpc: '2.0', result: { timestamp: 1 }, id: request.id }];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const request = JSON.parse(buffered.slice(0, newline));
      received.push(request);
      for (const line of answer(request)) socket.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(listenOn, resolve));
  return {
    received,
    address: server.address(),
    answerWith(next: Answer) {
      answer = next;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const expectedRequest = (message: string) => ({
  jsonrpc: '2.0',
  method: 'send',
  params: { recipient: ['+37120000000'], message },
  id: NOTIFICATION_ID,
});

describe('signal', () => {
  const stand = useStandIn({ reply: { status: 200, body: { jsonrpc: '2.0', result: {}, id: NOTIFICATION_ID } } });
  let tcp: Awaited<ReturnType<typeof startRpcSocket>>;
  let tcpAddress: string;
  const config = () => signal.parseConfig({ value: '+37120000000' });

  beforeAll(async () => {
    tcp = await startRpcSocket({ port: 0, host: '127.0.0.1' });
    tcpAddress = `127.0.0.1:${(tcp.address as AddressInfo).port}`;
  });
  afterAll(() => tcp.close());
  beforeEach(() => {
    tcp.received.length = 0;
    tcp.answerWith((request) => [{ jsonrpc: '2.0', result: { timestamp: 1 }, id: request.id }]);
  });

  it('sends a down alert over a TCP socket, skipping unrelated lines', async () => {
    tcp.answerWith((request) => [
      { jsonrpc: '2.0', method: 'receive', params: {} },
      { jsonrpc: '2.0', result: {}, id: 'someone-else' },
      { jsonrpc: '2.0', result: { timestamp: 1 }, id: request.id },
    ]);
    await signal.send(config(), downAlert(), stand.env({ SIGNAL_CLI_SOCKET: tcpAddress }));
    expect(tcp.received).toEqual([expectedRequest(PLAIN_DOWN)]);
  });

  it('sends an up alert over a Unix socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-signal-'));
    const unix = await startRpcSocket({ path: join(dir, 'signal.sock') });
    try {
      await signal.send(config(), upAlert(), stand.env({ SIGNAL_CLI_SOCKET: join(dir, 'signal.sock') }));
      expect(unix.received).toEqual([expectedRequest(PLAIN_UP)]);
    } finally {
      await unix.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends over the HTTP endpoint', async () => {
    await signal.send(config(), downAlert(), stand.env({ SIGNAL_CLI_URL: `${stand.server.url}/api/v1/rpc` }));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/rpc' });
    expect(request?.json()).toEqual(expectedRequest(PLAIN_DOWN));
  });

  it('honours the toggles and validates the number', () => {
    expect(signal.isNoop(signal.parseConfig({ value: '+37120000000', up: false }), 'up')).toBe(true);
    expect(signal.isNoop(config(), 'down')).toBe(false);
    expect(() => signal.parseConfig({ value: 'alice' })).toThrow(
      new ChannelConfigError('value: must be a phone number in international format, like +15551234567'),
    );
  });

  it('treats an unregistered recipient as permanent and other errors as transient', async () => {
    const env = stand.env({ SIGNAL_CLI_SOCKET: tcpAddress });
    tcp.answerWith((request) => [
      { jsonrpc: '2.0', error: { code: -1, message: 'Failed', data: { response: { results: [{ type: 'UNREGISTERED_FAILURE' }] } } }, id: request.id },
    ]);
    await expectTransportError(signal.send(config(), downAlert(), env), 'Recipient not found', true);
    tcp.answerWith((request) => [{ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: request.id }]);
    await expectTransportError(signal.send(config(), downAlert(), env), 'signal-cli call failed (-32603)');
    tcp.answerWith(() => ['not json']);
    await expectTransportError(signal.send(config(), downAlert(), env), 'signal-cli call failed (unexpected response)');
  });

  it('reports connection failures, timeouts and a missing configuration', async () => {
    await expectTransportError(
      signal.send(config(), downAlert(), stand.env({ SIGNAL_CLI_SOCKET: '/nonexistent/signal.sock' })),
      'signal-cli call failed (connect ENOENT /nonexistent/signal.sock)',
    );
    tcp.answerWith(() => []);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expectTransportError(
      signal.send(config(), downAlert(), stand.env({ SIGNAL_CLI_SOCKET: tcpAddress }, { signal: controller.signal })),
      'signal-cli call timed out',
    );
    await expectTransportError(signal.send(config(), downAlert(), stand.env({})), 'Signal notifications are not enabled');
  });
});
