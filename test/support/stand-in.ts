// A real HTTP server on 127.0.0.1 standing in for an external service (Slack, Telegram, a user's
// webhook…). It records every request and answers with programmable replies, so tests can assert the
// exact request an integration sent and how it handles each kind of answer.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path without the query string, still percent-encoded. */
  path: string;
  /** The decoded query parameters (the last value wins for repeated names). */
  query: Record<string, string>;
  /** The request target exactly as sent (path and query). */
  target: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): any;
  /** The body parsed as application/x-www-form-urlencoded. */
  form(): Record<string, string>;
}

export type StandInReply =
  | {
      status?: number;
      headers?: Record<string, string>;
      /** A string is sent as is; anything else as JSON. */
      body?: unknown;
    }
  /** Never answer (for timeout tests). */
  | 'hang'
  /** Drop the connection without an answer. */
  | 'reset';

export type StandInResponder = StandInReply | ((request: RecordedRequest) => StandInReply);

export interface StandIn {
  /** `http://<host>:<port>` without a trailing slash. */
  url: string;
  host: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queues replies for the next requests, in order; afterwards the default reply applies again. */
  replyOnce(...replies: StandInResponder[]): void;
  /** Replaces the default reply (initially 200 with the body "ok"). */
  replyAlways(reply: StandInResponder): void;
  /** Resolves with the next request received (or the first one not yet taken). */
  nextRequest(): Promise<RecordedRequest>;
  /** Forgets recorded requests and queued replies, and restores the initial default reply. */
  reset(): void;
  close(): Promise<void>;
}

function recorded(req: IncomingMessage, body: string): RecordedRequest {
  const target = req.url ?? '/';
  const parsed = new URL(target, 'http://stand-in');
  return {
    method: req.method ?? '',
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    target,
    headers: req.headers,
    body,
    json: () => JSON.parse(body),
    form: () => Object.fromEntries(new URLSearchParams(body)),
  };
}

function send(res: ServerResponse, reply: Exclude<StandInReply, 'hang' | 'reset'>): void {
  const body = reply.body === undefined ? 'ok' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const headers = { 'content-type': typeof reply.body === 'object' ? 'application/json' : 'text/plain', ...reply.headers };
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

export async function startStandIn(options: { host?: string; reply?: StandInResponder } = {}): Promise<StandIn> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const queued: StandInResponder[] = [];
  const initial: StandInResponder = options.reply ?? { status: 200, body: 'ok' };
  let fallback = initial;
  let taken = 0;
  const waiters: ((r: RecordedRequest) => void)[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = recorded(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(request);
      const waiter = waiters.shift();
      if (waiter) {
        taken += 1;
        waiter(request);
      }
      const responder = queued.shift() ?? fallback;
      const reply = typeof responder === 'function' ? responder(request) : responder;
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      send(res, reply);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${hostInUrl}:${port}`,
    host,
    port,
    requests,
    replyOnce: (...replies) => void queued.push(...replies),
    replyAlways: (reply) => {
      fallback = reply;
    },
    nextRequest: () =>
      new Promise((resolve) => {
        const pending = requests[taken];
        if (pending) {
          taken += 1;
          resolve(pending);
        } else {
          waiters.push(resolve);
        }
      }),
    reset: () => {
      requests.length = 0;
      queued.length = 0;
      taken = 0;
      fallback = initial;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
