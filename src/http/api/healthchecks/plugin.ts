// The Healthchecks Management API under /api/v1, /api/v2 and /api/v3: same paths, same JSON,
// same errors, so that existing clients work unchanged. Thin: authenticate, parse, call the check
// service, shape the answer; route schemas (schemas.ts) document the API for OpenAPI only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Authenticated } from '../../../accounts/service.js';
import { constantTimeEqual } from '../../../accounts/secrets.js';
import type { Clock } from '../../../clock.js';
import { UUID_LOWER } from '../../../core/identifiers.js';
import { CheckInputError, parseCheckInput } from '../../../checks/check-input.js';
import { ChannelSpecError } from '../../../checks/channel-spec.js';
import { instanceMetrics } from '../../../checks/instance-metrics.js';
import type { CheckService, CheckWithChannels, PingLogEntry } from '../../../checks/service.js';
import { CheckForbiddenError, CheckNotFoundError, CheckNotPausedError } from '../../../checks/service.js';
import { ping as pingDatabase } from '../../../store/dialect.js';
import type { Store } from '../../../store/database.js';
import type { CheckView } from '../../../store/checks.js';
import type { CheckRow, FlipRow } from '../../../store/schema.js';
import { authorize } from './auth.js';
import type { ApiVersion, RenderContext } from './check-json.js';
import { CheckRenderer, checkJson, isoMicros, isoSeconds } from './check-json.js';
import type { Handler } from './cors.js';
import { CorsResource, anyMethodRoute } from './cors.js';
import type { ChannelService } from '../../../notify/channel-service.js';
import { createChannelReply } from '../channels/plugin.js';
import { createChannelSchema } from '../channels/schemas.js';
import type { BadgeUrls } from '../../../core/badge.js';
import { badgeUrls } from '../../../core/badge.js';
import { parseFlipQuery } from './flip-query.js';
import { JsonSyntaxError, PyFloat, dumpPythonJsonBytes, PythonJsonListWriter, parsePythonJson, pythonRound2 } from './python-json.js';
import { apiSchemas } from './schemas.js';

/** What Fastify sends with a serialized object; the check list, written ahead, says it itself. */
const JSON_TYPE = 'application/json; charset=utf-8';
/** Checks read and rendered per piece of the list: only one piece's rows are held at a time. */
const LIST_PIECE = 250;

export interface HealthchecksApiOptions {
  version: ApiVersion;
  accounts: Accounts;
  checks: CheckService;
  store: Store;
  clock: Clock;
  siteRoot: string;
  pingEndpoint: string;
  /** METRICS_KEY; null keeps `metrics/` closed. */
  metricsKey?: string | null;
  /** The instance secret, which signs badge URLs. */
  secretKey: string;
  /** Creates channels for `POST /api/v3/channels/` (Lookout's native channels API). */
  channelService?: ChannelService;
}

/** API request bodies above this answer 413. */
export const API_BODY_LIMIT = 1024 * 1024;
const UNIQUE_KEY = /^[A-Za-z0-9]{40}$/;
// Ping numbers are 32-bit integers in the database; a larger number names no ping.
const MAX_PING_NUMBER = 2 ** 31 - 1;

class BodyError extends Error {}

/** Healthchecks parses POST bodies as JSON (strict UTF-8, Python's json) whatever their Content-Type. */
function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  let parsed: unknown;
  try {
    // ignoreBOM keeps a byte-order mark in the text, where Python's json refuses it.
    parsed = parsePythonJson(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw));
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof TypeError) throw new BodyError('could not parse request body');
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed instanceof PyFloat) {
    throw new BodyError('json validation error: value is not an object');
  }
  return parsed as Record<string, unknown>;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function query(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}

const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'not found' });

/** Service errors as Healthchecks answers them. */
function sendServiceError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof CheckNotFoundError) return notFound(reply);
  if (error instanceof CheckForbiddenError) return reply.code(403).send();
  if (error instanceof CheckInputError) return reply.code(400).send({ error: `json validation error: ${error.message}` });
  if (error instanceof ChannelSpecError) return reply.code(400).send({ error: error.message });
  if (error instanceof CheckNotPausedError) return reply.code(409).type('text/plain; charset=utf-8').send('check is not paused');
  throw error;
}

type Access = 'read' | 'write';
type AuthedHandler = (auth: Authenticated, request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) => Promise<unknown>;

export async function healthchecksApiPlugin(app: FastifyInstance, options: HealthchecksApiOptions): Promise<void> {
  const { version, accounts, checks, clock, siteRoot } = options;
  const apiRoot = `${siteRoot}/api/v${version}`;
  const schemas = apiSchemas({ tag: `Management API v${version}` });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: API_BODY_LIMIT }, (_request, body, done) => done(null, body));
  // Every JSON answer is written as Python's json.dumps writes it; schemas never validate or filter.
  // Fastify sends a Buffer as it is, sparing a 10 MB list two conversions (typed as string only).
  const serialize = (payload: unknown) => dumpPythonJsonBytes(payload) as unknown as string;
  app.setReplySerializer(serialize);
  app.setSerializerCompiler(() => serialize);
  app.setValidatorCompiler(() => () => true);

  const renderContext = (readOnly: boolean): RenderContext => ({ siteRoot, pingEndpoint: options.pingEndpoint, version, readOnly, now: clock.now() });
  const render = (item: CheckWithChannels<CheckView>, readOnly: boolean) => checkJson(item.check, item.channels, renderContext(readOnly));
  const sendCheck = (reply: FastifyReply, item: CheckWithChannels<CheckView>, readOnly: boolean, status = 200) =>
    reply.code(status).send(render(item, readOnly));

  /**
   * Runs `handler` for an authenticated caller, or answers 400/401 the way Healthchecks does.
   * Write endpoints read a POST body as JSON first and accept the key from it; read endpoints
   * take the key from the header only. A read-only key on a write endpoint is a "wrong api key".
   */
  const withAuth =
    (access: Access, handler: AuthedHandler): Handler =>
    async (request, reply) => {
      let body: Record<string, unknown> = {};
      const keyInBody = access === 'write' && request.method === 'POST';
      if (keyInBody) {
        try {
          body = jsonBody(request);
        } catch (error) {
          if (error instanceof BodyError) return reply.code(400).send({ error: error.message });
          throw error;
        }
      }
      const result = await authorize(accounts, header(request, 'x-api-key'), keyInBody ? body.api_key : undefined, access === 'write');
      if (!result.ok) return reply.code(401).send({ error: result.error });
      try {
        return await handler(result.auth, request, reply, body);
      } catch (error) {
        return sendServiceError(reply, error);
      }
    };

  const schemaOf = (url: string) => schemas[url] ?? {};
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  /** A route under a check: the resource is chosen by the `:id` segment, a UUID or a unique_key. */
  const byCheckId = (url: string, resources: { uuid: CorsResource; uniqueKey?: CorsResource }) =>
    anyMethodRoute(app, url, schemaOf(url), async (request, reply) => {
      const id = idOf(request);
      const resource = UUID_LOWER.test(id) ? resources.uuid : UNIQUE_KEY.test(id) ? resources.uniqueKey : undefined;
      return resource ? resource.serve(request, reply) : notFound(reply);
    });

  // ---- checks ----

  const checkList = new CorsResource({
    GET: withAuth('read', async (auth, request, reply) => {
      const params = query(request);
      const slug = params.getAll('slug').at(-1);
      const filter = { tags: params.getAll('tag'), ...(slug ? { slug } : {}) };
      // One context for the whole list: every check's status is as of the same instant.
      const renderer = new CheckRenderer(renderContext(auth.readOnly));
      const body = new PythonJsonListWriter('checks');
      await checks.listInChunks(auth.project, filter, LIST_PIECE, (items) => {
        for (const item of items) {
          renderer.members(item.check, item.channels, body);
          body.endItem();
        }
      });
      return reply.type(JSON_TYPE).send(body.finish());
    }),
    POST: withAuth('write', async (auth, _request, reply, body) => {
      const result = await checks.create(auth.project, parseCheckInput(body), version);
      if (result.outcome === 'over-limit') return reply.code(403).send();
      return sendCheck(reply, result.check, false, result.outcome === 'created' ? 201 : 200);
    }),
  });
  anyMethodRoute(app, '/checks/', schemaOf('/checks/'), (request, reply) => checkList.serve(request, reply));

  byCheckId('/checks/:id', {
    uuid: new CorsResource({
      GET: withAuth('read', async (auth, request, reply) => sendCheck(reply, await checks.get(auth.project, idOf(request)), auth.readOnly)),
      POST: withAuth('write', async (auth, request, reply, body) =>
        sendCheck(reply, await checks.update(auth.project, idOf(request), body, version), false),
      ),
      DELETE: withAuth('write', async (auth, request, reply) => sendCheck(reply, await checks.remove(auth.project, idOf(request)), false)),
    }),
    uniqueKey: new CorsResource({
      // Only the caller's own project is searched, so another project's key is simply not found.
      GET: withAuth('read', async (auth, request, reply) => {
        const match = await checks.findByUniqueKey(auth.project, idOf(request));
        return match ? sendCheck(reply, match, auth.readOnly) : reply.code(404).send();
      }),
    }),
  });

  byCheckId('/checks/:id/pause', {
    uuid: new CorsResource({
      POST: withAuth('write', async (auth, request, reply) => sendCheck(reply, await checks.pause(auth.project, idOf(request)), false)),
    }),
  });

  byCheckId('/checks/:id/resume', {
    uuid: new CorsResource({
      POST: withAuth('write', async (auth, request, reply) => sendCheck(reply, await checks.resume(auth.project, idOf(request)), false)),
    }),
  });

  if (version === 3) {
    byCheckId('/checks/:id/ping-code', {
      uuid: new CorsResource({
        POST: withAuth('write', async (auth, request, reply) => sendCheck(reply, await checks.rotatePingCode(auth.project, idOf(request)), false)),
      }),
    });
  }

  // ---- pings and flips ----

  const pingJson = (code: string, ping: PingLogEntry) => ({
    type: ping.kind ?? 'success',
    date: isoMicros(ping.created),
    n: ping.n,
    scheme: ping.scheme,
    remote_addr: ping.remote_addr,
    method: ping.method,
    ua: ping.ua,
    rid: ping.rid,
    body_url: ping.has_body === 1 ? `${apiRoot}/checks/${code}/pings/${ping.n}/body` : null,
    // Present only for a completed run with a non-zero duration, as a float of seconds.
    ...(ping.duration ? { duration: new PyFloat(pythonRound2(ping.duration / 1000)) } : {}),
  });

  byCheckId('/checks/:id/pings/', {
    uuid: new CorsResource({
      GET: withAuth('write', async (auth, request) => {
        const { check, pings } = await checks.pingLog(auth.project, idOf(request));
        return { pings: pings.map((ping) => pingJson(check.code, ping)) };
      }),
    }),
  });

  const pingBody = new CorsResource({
    GET: withAuth('write', async (auth, request, reply) => {
      const n = Number((request.params as { n: string }).n);
      const body = n > MAX_PING_NUMBER ? null : await checks.pingBody(auth.project, idOf(request), n);
      if (body === null) return notFound(reply);
      // Healthchecks sends `text/plain` without a charset: the bytes are returned as they came.
      return reply.type('text/plain').send(body);
    }),
  });
  anyMethodRoute(app, '/checks/:id/pings/:n/body', schemaOf('/checks/:id/pings/:n/body'), async (request, reply) => {
    const { id, n } = request.params as { id: string; n: string };
    return UUID_LOWER.test(id) && /^\d+$/.test(n) ? pingBody.serve(request, reply) : notFound(reply);
  });

  const flipJson = (flip: FlipRow) => ({ timestamp: isoSeconds(flip.created), up: flip.new_status === 'up' ? 1 : 0 });
  const flipsOf = async (auth: Authenticated, request: FastifyRequest, reply: FastifyReply, check: string | CheckRow) => {
    const filter = parseFlipQuery(query(request), clock.now());
    if (filter === null) return reply.code(400).send();
    return { flips: (await checks.flips(auth.project, check, filter)).map(flipJson) };
  };
  byCheckId('/checks/:id/flips/', {
    uuid: new CorsResource({ GET: withAuth('read', (auth, request, reply) => flipsOf(auth, request, reply, idOf(request))) }),
    uniqueKey: new CorsResource({
      GET: withAuth('read', async (auth, request, reply) => {
        const match = await checks.findByUniqueKey(auth.project, idOf(request));
        return match ? flipsOf(auth, request, reply, match.check) : reply.code(404).send();
      }),
    }),
  });

  // ---- channels ----

  const channelService = options.channelService;
  const channelList = new CorsResource({
    GET: withAuth('write', async (auth) => ({
      channels: (await checks.channels(auth.project)).map((c) => ({ id: c.code, name: c.name, kind: c.kind })),
    })),
    // Creating channels is Lookout's own addition, so it exists in v3 only.
    ...(version === 3 && channelService
      ? { POST: withAuth('write', (auth, _request, reply, body) => createChannelReply(channelService, auth.project, body, reply)) }
      : {}),
  });
  const channelListSchemas = version === 3 ? { ...schemaOf('/channels/'), POST: createChannelSchema } : schemaOf('/channels/');
  anyMethodRoute(app, '/channels/', channelListSchemas, (request, reply) => channelList.serve(request, reply));

  // ---- badges ----

  const badgeList = new CorsResource({
    GET: withAuth('read', async (auth) => {
      const urls = (tag: string) => badgeUrls(auth.project, tag, options.secretKey, options.siteRoot);
      const badges: Record<string, BadgeUrls> = {};
      for (const tag of await checks.tags(auth.project)) badges[tag] = urls(tag);
      badges['*'] = urls('*');
      return { badges };
    }),
  });
  anyMethodRoute(app, '/badges/', schemaOf('/badges/'), (request, reply) => badgeList.serve(request, reply));

  // ---- service endpoints without CORS or API keys ----

  anyMethodRoute(app, '/status/', schemaOf('/status/'), async (_request, reply) => {
    await pingDatabase(options.store.db);
    return reply.type('text/plain; charset=utf-8').send('OK');
  });

  const metricsKey = options.metricsKey ?? null;
  anyMethodRoute(app, '/metrics/', schemaOf('/metrics/'), async (request, reply) => {
    const given = header(request, 'x-metrics-key');
    if (metricsKey === null || given === undefined || !constantTimeEqual(given, metricsKey)) return reply.code(403).send();
    const metrics = await instanceMetrics(options.store);
    return {
      ts: Math.floor(clock.now() / 1000),
      max_ping_id: metrics.maxPingId,
      max_notification_id: metrics.maxNotificationId,
      num_unprocessed_flips: metrics.unprocessedFlips,
    };
  });

  // Delivery callbacks (Twilio and the like) are accepted and, for now, not recorded: Lookout has
  // no notification log yet. Healthchecks also answers 200 for unknown notifications.
  anyMethodRoute(app, '/notifications/:id/status', schemaOf('/notifications/:id/status'), async (request, reply) => {
    if (!UUID_LOWER.test(idOf(request))) return notFound(reply);
    if (request.method !== 'POST') return reply.code(405).send();
    return reply.code(200).send();
  });

  // Bounce addresses carry a signed notification id; Lookout signs none yet, so no bounce can
  // match one, which Healthchecks reports as a bad signature.
  anyMethodRoute(app, '/bounces/', schemaOf('/bounces/'), async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('OK (bad signature)'),
  );
}
