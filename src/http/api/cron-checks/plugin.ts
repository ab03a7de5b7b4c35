// The Boxwatch Cron Checks API (seed 003): `/cron-checks` and `/servers` with a Lookout API key as
// the bearer token. Read-only keys may read; writing needs a read-write key. Errors are the
// seed's: `{"error": "<code>", ...}`, validation problems all at once as `issues`. Route schemas
// (schemas.ts) document the API for OpenAPI only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Authenticated } from '../../../accounts/service.js';
import type { CronCheckService } from '../../../checks/cron-checks.js';
import type { ValidationIssue } from '../../../checks/cron-check-input.js';
import type { ServerService } from '../../../checks/servers.js';
import type { Clock } from '../../../clock.js';
import { documentOnlySchemas } from '../../openapi.js';
import { cronCheckJson, pingJson, pingUrls, serverJson } from './json.js';
import { cronChecksSchemas as schemas } from './schemas.js';

export interface CronChecksApiOptions {
  accounts: Accounts;
  cronChecks: CronCheckService;
  servers: ServerService;
  clock: Clock;
  pingEndpoint: string;
}

/** Request bodies above this answer 413. */
const BODY_LIMIT = 64 * 1024;
const BEARER = /^Bearer +(\S+) *$/i;
const ID = /^[1-9][0-9]{0,14}$/;
const OFFSET = /^[0-9]{1,15}$/;

class BadRequest extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super('validation failed');
  }
}

type Handler = (auth: Authenticated, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

function invalid(reply: FastifyReply, issues: ValidationIssue[]): FastifyReply {
  return reply.code(400).send({ error: 'validation_failed', issues });
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: 'not_found' });
}

/** The JSON body, whatever its Content-Type; no body reads as `{}`. */
function jsonBody(request: FastifyRequest): unknown {
  const raw = request.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new BadRequest([{ field: 'body', reason: 'must be valid JSON' }]);
  }
}

/** The check id from the path, or null for anything that cannot be one (a 404). */
function checkId(request: FastifyRequest): number | null {
  const { id } = request.params as { id: string };
  return ID.test(id) ? Number(id) : null;
}

function pingsOffset(request: FastifyRequest): number {
  const raw = (request.query as Record<string, unknown>).pings_offset;
  if (raw === undefined) return 0;
  if (typeof raw !== 'string' || !OFFSET.test(raw)) {
    throw new BadRequest([{ field: 'pings_offset', reason: 'must be a non-negative integer' }]);
  }
  return Number(raw);
}

export async function cronChecksApiPlugin(app: FastifyInstance, options: CronChecksApiOptions): Promise<void> {
  const { accounts, cronChecks, servers, clock, pingEndpoint } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
  documentOnlySchemas(app);

  /** Runs `handler` for a caller with a valid key (a read-write one when `write`). */
  const withAuth =
    (write: boolean, handler: Handler) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const match = BEARER.exec(request.headers.authorization ?? '');
      const auth = match?.[1] === undefined ? null : await accounts.authenticate(match[1]);
      if (!auth) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      if (write && auth.readOnly) return reply.code(403).send({ error: 'forbidden', reason: 'read-only API key' });
      try {
        return await handler(auth, request, reply);
      } catch (error) {
        if (error instanceof BadRequest) return invalid(reply, error.issues);
        throw error;
      }
    };

  app.get(
    '/cron-checks',
    { schema: schemas['/cron-checks'].GET },
    withAuth(false, async ({ project }) => {
      const { checks, usage } = await cronChecks.list(project);
      const now = clock.now();
      return {
        checks: checks.map((check) => cronCheckJson(check, now)),
        plan_limit: usage.limit,
        current_count: usage.current,
        plan: usage.plan,
      };
    }),
  );

  app.post(
    '/cron-checks',
    { schema: schemas['/cron-checks'].POST },
    withAuth(true, async ({ project }, request, reply) => {
      const result = await cronChecks.create(project, jsonBody(request));
      if (result.outcome === 'invalid') return invalid(reply, result.issues);
      if (result.outcome === 'over-limit') {
        const { current, limit, plan } = result.usage;
        return reply.code(402).send({ error: 'plan_limit_reached', current, limit, plan });
      }
      return reply.code(201).send({
        check: cronCheckJson(result.check, clock.now()),
        ping_urls: pingUrls(pingEndpoint, result.check.code),
      });
    }),
  );

  app.get(
    '/cron-checks/:id',
    { schema: schemas['/cron-checks/:id'].GET },
    withAuth(false, async ({ project }, request, reply) => {
      const id = checkId(request);
      const offset = pingsOffset(request);
      const detail = id === null ? null : await cronChecks.get(project, id, offset);
      if (!detail) return notFound(reply);
      return {
        check: cronCheckJson(detail.check, clock.now()),
        ping_urls: pingUrls(pingEndpoint, detail.check.code),
        pings: detail.pings.map(pingJson),
        pings_total: detail.pingsTotal,
      };
    }),
  );

  app.put(
    '/cron-checks/:id',
    { schema: schemas['/cron-checks/:id'].PUT },
    withAuth(true, async ({ project }, request, reply) => {
      const id = checkId(request);
      if (id === null) return notFound(reply);
      const result = await cronChecks.update(project, id, jsonBody(request));
      if (result.outcome === 'not-found') return notFound(reply);
      if (result.outcome === 'invalid') return invalid(reply, result.issues);
      return { check: cronCheckJson(result.check, clock.now()) };
    }),
  );

  app.delete(
    '/cron-checks/:id',
    { schema: schemas['/cron-checks/:id'].DELETE },
    withAuth(true, async ({ project }, request, reply) => {
      const id = checkId(request);
      if (id === null || !(await cronChecks.remove(project, id))) return notFound(reply);
      return { ok: true };
    }),
  );

  app.get(
    '/servers',
    { schema: schemas['/servers'].GET },
    withAuth(false, async ({ project }) => ({ servers: (await servers.list(project)).map(serverJson) })),
  );

  app.post(
    '/servers',
    { schema: schemas['/servers'].POST },
    withAuth(true, async ({ project }, request, reply) => {
      const result = await servers.register(project, jsonBody(request));
      if (result.outcome === 'invalid') return invalid(reply, result.issues);
      return reply.code(result.outcome === 'created' ? 201 : 200).send({ server: serverJson(result.server) });
    }),
  );
}
