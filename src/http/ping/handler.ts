// The ping endpoint: `/ping/...` in every form Healthchecks and the short-code form accept, for any
// HTTP method. It runs on Node's request event ahead of Fastify: a ping must be answered the same
// way whatever its method, content type or URL escapes, which a framework's parsers would refuse
// first, and the busiest route of the server gains from skipping the framework's work.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../clock.js';
import { normaliseRid } from '../../core/identifiers.js';
import { parsePingPath } from '../../core/ping-url.js';
import type { PingIngest } from '../../ingest/ingest.js';
import { OUTCOME } from '../../ingest/ping-request.js';
import type { TrustedProxies } from '../client-address.js';
import { clientInfo } from '../client-address.js';
import { NEVER_CACHE } from '../never-cache.js';
import { BodyTooLargeError, ClientGoneError, readBoundedBody } from './read-body.js';
import { FAILURE_MESSAGE_LIMIT, parseRunMetadata } from './run-metadata.js';

export interface PingHandlerOptions {
  ingest: PingIngest;
  clock: Clock;
  proxies: TrustedProxies;
  /** Bytes of body kept with the ping; null = unlimited. */
  pingBodyLimit: number | null;
  maxUploadBytes: number;
  logger: FastifyBaseLogger;
}

/** Answers the request if it is a ping (returns true), or leaves it to the rest of the app. */
export type PingHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

const PING_PATH = /^\/+ping(?:\/|\?|$)/;
const NO_QUERY: URLSearchParams = new URLSearchParams();
const UNAVAILABLE = { status: 503, body: 'service unavailable' } as const;
// After refusing an oversized body, read and drop this much more before giving up on the
// connection, so that a client still sending gets its answer instead of a reset.
const DRAIN_AFTER_REFUSAL_BYTES = 64 * 1024 * 1024;

type Headers = Readonly<Record<string, string>>;

const NO_HEADERS: Headers = {};
// Every answer is one of a few fixed bodies with one of a few fixed header sets, so the complete
// header lists are built once: building them per response showed up in profiles of the ping path.
const headerLists = new WeakMap<Headers, Map<string, string[]>>();

function headerList(headers: Headers, body: string): string[] {
  let byBody = headerLists.get(headers);
  if (!byBody) headerLists.set(headers, (byBody = new Map()));
  let list = byBody.get(body);
  if (!list) {
    list = Object.entries({ ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).flat();
    byBody.set(body, list);
  }
  return list;
}

function send(response: ServerResponse, status: number, body: string, headers: Headers = NO_HEADERS): void {
  response.writeHead(status, headerList(headers, body));
  response.end(body);
}

/** Drops the rest of a refused body, but not forever. */
function drainWithLimit(request: IncomingMessage): void {
  let drained = 0;
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_AFTER_REFUSAL_BYTES) request.socket.destroy();
  });
  request.resume();
}

export function createPingHandler(options: PingHandlerOptions): PingHandler {
  const { ingest, clock, proxies, pingBodyLimit, maxUploadBytes, logger } = options;
  const successHeaders: Record<string, string> = { 'access-control-allow-origin': '*', ...NEVER_CACHE };
  if (pingBodyLimit !== null) successHeaders['ping-body-limit'] = String(pingBodyLimit);
  // Enough of the body to find form fields such as failure_message, even past the kept part.
  const readLimit = pingBodyLimit === null ? maxUploadBytes : Math.max(pingBodyLimit, FAILURE_MESSAGE_LIMIT + 1024);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = clock.now();
    const rawUrl = request.url ?? '';
    const queryStart = rawUrl.indexOf('?');
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? NO_QUERY : new URLSearchParams(rawUrl.slice(queryStart + 1));

    const route = parsePingPath(pathname);
    if (route === null) return send(response, 404, OUTCOME.notFound.body);
    if ('rejected' in route) return send(response, 400, route.rejected);

    let body: Buffer;
    try {
      body = await readBoundedBody(request, readLimit, maxUploadBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      drainWithLimit(request);
      return send(response, 400, error.message);
    }
    const contentType = request.headers['content-type'] ?? '';
    const form = contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : null;
    const metadata = parseRunMetadata(query, form);
    if (!metadata.ok) return send(response, 400, metadata.error, NEVER_CACHE);

    const ridParam = query.get('rid');
    const rid = ridParam === null ? null : normaliseRid(ridParam);
    const { remoteAddr, scheme } = clientInfo(request, proxies);
    const method = request.method ?? 'GET';
    const outcome = await ingest.submit({
      route,
      create: query.get('create') === '1',
      rid,
      ridInvalid: ridParam !== null && rid === null,
      method: method.slice(0, 10),
      scheme,
      remoteAddr,
      ua: request.headers['user-agent'] ?? '',
      body: pingBodyLimit === null || body.length <= pingBodyLimit ? body : body.subarray(0, pingBodyLimit),
      meta: metadata.meta,
      receivedAt,
    });

    if (outcome.status === 200 || outcome.status === 201) return send(response, outcome.status, outcome.body, successHeaders);
    // The slug lookup's own refusals carry no extra headers; everything else is never cached.
    const fromSlugLookup = route.target.by === 'slug' && (outcome.status === 404 || outcome.status === 409);
    return send(response, outcome.status, outcome.body, fromSlugLookup ? NO_HEADERS : NEVER_CACHE);
  }

  return (request, response) => {
    if (!PING_PATH.test(request.url ?? '')) return false;
    handle(request, response).catch((error: unknown) => {
      if (error instanceof ClientGoneError) return;
      // Nothing the client sent explains this: the ping was not stored, and it may try again.
      logger.error({ err: error, url: request.url }, 'ping not recorded');
      if (!response.headersSent) send(response, UNAVAILABLE.status, UNAVAILABLE.body);
    });
    return true;
  };
}

/**
 * `Expect: 100-continue`: a body that is declared too large is refused before the client sends
 * it; anything else is told to continue as usual.
 */
export function checkContinue(maxUploadBytes: number) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (PING_PATH.test(request.url ?? '') && Number(request.headers['content-length'] ?? 0) > maxUploadBytes) {
      response.shouldKeepAlive = false;
      send(response, 400, new BodyTooLargeError().message);
      return;
    }
    response.writeContinue();
    next();
  };
}
