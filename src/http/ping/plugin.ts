// The ping endpoint: `/ping/...` in every form Healthchecks and the short-code form accept, for
// any HTTP method. Thin: parse and bound the request, hand it to ingestion, answer plain text.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../clock.js';
import { normaliseRid } from '../../core/identifiers.js';
import { parsePingPath } from '../../core/ping-url.js';
import type { PingIngest } from '../../ingest/ingest.js';
import type { PingOutcome } from '../../ingest/ping-request.js';
import { OUTCOME } from '../../ingest/ping-request.js';
import type { TrustedProxies } from '../client-address.js';
import { clientInfo } from '../client-address.js';
import { BodyTooLargeError, readBoundedBody } from './read-body.js';
import { FAILURE_MESSAGE_LIMIT, parseRunMetadata } from './run-metadata.js';

export interface PingPluginOptions {
  ingest: PingIngest;
  clock: Clock;
  proxies: TrustedProxies;
  /** Bytes of body kept with the ping; null = unlimited. */
  pingBodyLimit: number | null;
  maxUploadBytes: number;
}

const NEVER_CACHE = {
  'cache-control': 'max-age=0, no-cache, no-store, must-revalidate, private',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
};

const NO_QUERY: URLSearchParams = new URLSearchParams();

function send(reply: FastifyReply, status: number, body: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('text/plain; charset=utf-8').send(body);
}

export async function pingPlugin(app: FastifyInstance, options: PingPluginOptions): Promise<void> {
  const { ingest, clock, proxies, pingBodyLimit, maxUploadBytes } = options;
  const successHeaders: Record<string, string> = { 'access-control-allow-origin': '*', ...NEVER_CACHE };
  if (pingBodyLimit !== null) successHeaders['ping-body-limit'] = String(pingBodyLimit);
  // Enough of the body to find form fields such as failure_message, even past the kept part.
  const readLimit = pingBodyLimit === null ? maxUploadBytes : Math.max(pingBodyLimit, FAILURE_MESSAGE_LIMIT + 1024);

  // The body is read by the handler, bounded; Fastify must not parse or refuse it first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.all('/ping/*', async (request, reply) => {
    const receivedAt = clock.now();
    const rawUrl = request.raw.url ?? '';
    const queryStart = rawUrl.indexOf('?');
    const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? NO_QUERY : new URLSearchParams(rawUrl.slice(queryStart + 1));

    const route = parsePingPath(pathname);
    if (route === null) return send(reply, 404, OUTCOME.notFound.body);
    if ('rejected' in route) return send(reply, 400, route.rejected);

    let body: Buffer;
    try {
      body = await readBoundedBody(request.raw, readLimit, maxUploadBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reply.header('connection', 'close');
        return send(reply, 400, error.message);
      }
      throw error;
    }
    const contentType = String(request.headers['content-type'] ?? '');
    const form = contentType.startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(body.toString('utf8'))
      : null;
    const metadata = parseRunMetadata(query, form);
    if (!metadata.ok) return send(reply, 400, metadata.error, NEVER_CACHE);

    const ridParam = query.get('rid');
    const rid = ridParam === null ? null : normaliseRid(ridParam);
    const { remoteAddr, scheme } = clientInfo(request.raw, proxies);
    const outcome: PingOutcome = await ingest.submit({
      route,
      create: query.get('create') === '1',
      rid,
      ridInvalid: ridParam !== null && rid === null,
      method: request.method.slice(0, 10),
      scheme,
      remoteAddr,
      ua: String(request.headers['user-agent'] ?? ''),
      body: pingBodyLimit === null || body.length <= pingBodyLimit ? body : body.subarray(0, pingBodyLimit),
      meta: metadata.meta,
      receivedAt,
    });

    if (outcome.status === 200 || outcome.status === 201) return send(reply, outcome.status, outcome.body, successHeaders);
    // The slug lookup's own refusals carry no extra headers; everything else is never cached.
    const fromSlugLookup = route.target.by === 'slug' && (outcome.status === 404 || outcome.status === 409);
    return send(reply, outcome.status, outcome.body, fromSlugLookup ? {} : NEVER_CACHE);
  });
}
