// Lookout's native channels API under /api/v3 (read-write key in X-Api-Key, as the Healthchecks
// API): one channel, its test send and its notification log, and a check's notification log.
// `GET /api/v3/channels/` belongs to the Healthchecks API; creating a channel (POST on that URL)
// is `createChannelReply`, mounted there. Route schemas (schemas.ts) document the API for OpenAPI
// only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../../../accounts/service.js';
import { UUID_LOWER } from '../../../core/identifiers.js';
import type { ChannelService, ChannelView } from '../../../notify/channel-service.js';
import { ChannelForbiddenError, ChannelInputError, ChannelNotFoundError } from '../../../notify/channel-service.js';
import { storedConfig } from '../../../notify/send.js';
import type { NotificationLogRow } from '../../../store/notifications.js';
import type { ProjectRow } from '../../../store/schema.js';
import { authorize } from '../healthchecks/auth.js';
import { isoSeconds } from '../healthchecks/check-json.js';
import type { Handler } from '../healthchecks/cors.js';
import { CorsResource, anyMethodRoute } from '../healthchecks/cors.js';
import { documentOnlySchemas } from '../../openapi.js';
import { channelsSchemas as schemas } from './schemas.js';

export interface ChannelsApiOptions {
  accounts: Accounts;
  channels: ChannelService;
}

const BODY_LIMIT = 1024 * 1024;
const DEFAULT_LOG_LIMIT = 100;

class BodyError extends Error {}

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

export function channelJson({ channel, checks }: ChannelView): Record<string, unknown> {
  return {
    id: channel.code,
    name: channel.name,
    kind: channel.kind,
    config: storedConfig(channel.value),
    disabled: channel.disabled === 1,
    last_notify: isoSeconds(channel.last_notify),
    last_notify_duration_ms: channel.last_notify_duration,
    last_error: channel.last_error,
    checks,
  };
}

function notificationJson(row: NotificationLogRow): Record<string, unknown> {
  return {
    id: row.code,
    check: row.check_code,
    channel: row.channel_code,
    status: row.status,
    reason: row.reason,
    event_time: isoSeconds(row.event_at),
    created: isoSeconds(row.created),
    state: row.state,
    attempts: row.attempts,
    error: row.error,
    sent: isoSeconds(row.sent_at),
  };
}

/** Channel service errors as answers: 404 and 403 as the Healthchecks API answers for checks. */
function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ChannelNotFoundError) return reply.code(404).send({ error: 'not found' });
  if (error instanceof ChannelForbiddenError) return reply.code(403).send();
  if (error instanceof ChannelInputError) return reply.code(400).send({ error: error.message });
  throw error;
}

/** `POST /api/v3/channels/`: creates a channel from `{"kind", "name", "config"}`; 201 with it. */
export async function createChannelReply(
  channels: ChannelService,
  project: ProjectRow,
  body: Record<string, unknown>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  try {
    return reply.code(201).send(channelJson(await channels.create(project, body)));
  } catch (error) {
    return sendError(reply, error);
  }
}

type AuthedHandler = (project: ProjectRow, request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) => Promise<unknown>;

function logLimit(request: FastifyRequest): number | null {
  const raw = (request.query as Record<string, unknown>).limit;
  if (raw === undefined) return DEFAULT_LOG_LIMIT;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) return null;
  return Number(raw);
}

export async function channelsApiPlugin(app: FastifyInstance, options: ChannelsApiOptions): Promise<void> {
  const { accounts, channels } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
  documentOnlySchemas(app);

  /** Read-write key only (channels hold secrets); the key may also come in a POST body. */
  const withAuth =
    (handler: AuthedHandler): Handler =>
    async (request, reply) => {
      let body: Record<string, unknown> = {};
      if (request.method === 'POST') {
        try {
          body = jsonBody(request);
        } catch (error) {
          if (error instanceof BodyError) return reply.code(400).send({ error: error.message });
          throw error;
        }
      }
      const headerKey = request.headers['x-api-key'];
      const result = await authorize(accounts, Array.isArray(headerKey) ? headerKey[0] : headerKey, body.api_key, true);
      if (!result.ok) return reply.code(401).send({ error: result.error });
      try {
        return await handler(result.auth.project, request, reply, body);
      } catch (error) {
        return sendError(reply, error);
      }
    };

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  /** A URL whose `:id` is a UUID: anything else is not found, before authentication. */
  const byUuid = (url: keyof typeof schemas, resource: CorsResource) =>
    anyMethodRoute(app, url, schemas[url], async (request, reply) =>
      UUID_LOWER.test(idOf(request)) ? resource.serve(request, reply) : reply.code(404).send({ error: 'not found' }),
    );

  byUuid(
    '/channels/:id',
    new CorsResource({
      GET: withAuth(async (project, request) => channelJson(await channels.get(project, idOf(request)))),
      POST: withAuth(async (project, request, _reply, body) => channelJson(await channels.update(project, idOf(request), body))),
      DELETE: withAuth(async (project, request) => channelJson(await channels.remove(project, idOf(request)))),
    }),
  );

  byUuid(
    '/channels/:id/test',
    new CorsResource({ POST: withAuth(async (project, request) => channels.test(project, idOf(request))) }),
  );

  const log = (list: (project: ProjectRow, id: string, limit: number) => Promise<NotificationLogRow[]>) =>
    new CorsResource({
      GET: withAuth(async (project, request, reply) => {
        const limit = logLimit(request);
        if (limit === null) return reply.code(400).send({ error: 'limit must be a number from 1 to 1000' });
        return { notifications: (await list(project, idOf(request), limit)).map(notificationJson) };
      }),
    });
  byUuid('/channels/:id/notifications/', log((project, id, limit) => channels.notificationsOfChannel(project, id, limit)));
  byUuid('/checks/:id/notifications/', log((project, id, limit) => channels.notificationsOfCheck(project, id, limit)));
}
