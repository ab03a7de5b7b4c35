// The Healthchecks Management API under /api/v1, /api/v2 and /api/v3: same paths, same JSON,
// same errors, so that existing clients work unchanged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Authenticated } from '../../../accounts/service.js';
import type { Clock } from '../../../clock.js';
import { UUID_LOWER } from '../../../core/identifiers.js';
import { CheckInputError, parseCheckInput } from '../../../checks/check-input.js';
import { ChannelSpecError } from '../../../checks/channel-spec.js';
import type { CheckService, CheckWithChannels } from '../../../checks/service.js';
import { CheckForbiddenError, CheckNotFoundError } from '../../../checks/service.js';
import { ping as pingDatabase } from '../../../store/dialect.js';
import type { Store } from '../../../store/database.js';
import { authorize } from './auth.js';
import type { ApiVersion } from './check-json.js';
import { checkJson, uniqueKey } from './check-json.js';
import { corsResource } from './cors.js';

export interface HealthchecksApiOptions {
  version: ApiVersion;
  accounts: Accounts;
  checks: CheckService;
  store: Store;
  clock: Clock;
  siteRoot: string;
  pingEndpoint: string;
}

/** API request bodies above this answer 413. */
export const API_BODY_LIMIT = 1024 * 1024;
const UNIQUE_KEY = /^[A-Za-z0-9]{40}$/;

class BodyError extends Error {}

/** Healthchecks parses POST bodies as JSON whatever their Content-Type. */
function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new BodyError('could not parse request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BodyError('json validation error: value is not an object');
  }
  return parsed as Record<string, unknown>;
}

function headerKey(request: FastifyRequest): string | undefined {
  const value = request.headers['x-api-key'];
  return Array.isArray(value) ? value[0] : value;
}

function queryValues(request: FastifyRequest, name: string): string[] {
  const url = request.raw.url ?? '';
  const start = url.indexOf('?');
  return start === -1 ? [] : new URLSearchParams(url.slice(start + 1)).getAll(name);
}

export async function healthchecksApiPlugin(app: FastifyInstance, options: HealthchecksApiOptions): Promise<void> {
  const { version, accounts, checks, clock } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: API_BODY_LIMIT }, (_request, body, done) => done(null, body));

  const render = (item: CheckWithChannels, readOnly: boolean) =>
    checkJson(item.check, item.channels, {
      siteRoot: options.siteRoot,
      pingEndpoint: options.pingEndpoint,
      version,
      readOnly,
      now: clock.now(),
    });

  /** Runs `handler` with the caller's project, or answers 400/401 the way Healthchecks does. */
  const withAuth =
    (needsWrite: boolean, handler: (auth: Authenticated, body: Record<string, unknown>, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let body: Record<string, unknown> = {};
      if (request.method === 'POST') {
        try {
          body = jsonBody(request);
        } catch (error) {
          if (error instanceof BodyError) return reply.code(400).send({ error: error.message });
          throw error;
        }
      }
      const result = await authorize(accounts, headerKey(request), needsWrite && request.method === 'POST' ? body.api_key : undefined, needsWrite);
      if (!result.ok) return reply.code(401).send({ error: result.error });
      return handler(result.auth, body, request, reply);
    };

  corsResource(app, '/checks/', {
    GET: withAuth(false, async (auth, _body, request) => {
      const slug = queryValues(request, 'slug')[0];
      const list = await checks.list(auth.project, { tags: queryValues(request, 'tag'), ...(slug ? { slug } : {}) });
      return { checks: list.map((item) => render(item, auth.readOnly)) };
    }),
    POST: withAuth(true, async (auth, body, _request, reply) => {
      try {
        const input = parseCheckInput(body);
        const result = await checks.create(auth.project, input, version);
        if (result.outcome === 'over-limit') return reply.code(403).send();
        return reply.code(result.outcome === 'created' ? 201 : 200).send(render(result.check, false));
      } catch (error) {
        if (error instanceof CheckInputError) return reply.code(400).send({ error: `json validation error: ${error.message}` });
        if (error instanceof ChannelSpecError) return reply.code(400).send({ error: error.message });
        throw error;
      }
    }),
  });

  corsResource(app, '/checks/:id', {
    GET: withAuth(false, async (auth, _body, request, reply) => {
      const { id } = request.params as { id: string };
      if (UUID_LOWER.test(id)) {
        try {
          return render(await checks.get(auth.project, id), auth.readOnly);
        } catch (error) {
          if (error instanceof CheckNotFoundError) return reply.code(404).send({ error: 'not found' });
          if (error instanceof CheckForbiddenError) return reply.code(403).send();
          throw error;
        }
      }
      if (UNIQUE_KEY.test(id)) {
        // Only the caller's own project is searched, so a foreign key is simply not found.
        const match = (await checks.list(auth.project, {})).find((item) => uniqueKey(item.check.code) === id);
        return match ? render(match, auth.readOnly) : reply.code(404).send();
      }
      return reply.code(404).send({ error: 'not found' });
    }),
  });

  app.all('/status/', async (_request, reply) => {
    await pingDatabase(options.store.db);
    return reply.type('text/plain; charset=utf-8').send('OK');
  });
}
