// Public status badges: `/badge/<project badge key>/<signature>[/<tag>].<fmt>` and
// `/b/<states>/<check badge key>.<fmt>` as SVG, JSON or a shields.io endpoint (spec §4).
// No API key: the signature (or the check's unguessable badge key) is the authorisation.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { BadgeService } from '../../checks/badges.js';
import type { BadgeFormat, BadgeSummary } from '../../core/badge.js';
import {
  ALL_CHECKS_TAG,
  badgeSvg,
  isBadgeFormat,
  isValidBadgeSignature,
  shieldsJson,
  signatureWantsLate,
  summarizeBadge,
} from '../../core/badge.js';
import { CorsResource, anyMethodRoute } from '../api/healthchecks/cors.js';
import { dumpPythonJson } from '../api/healthchecks/python-json.js';
import { NEVER_CACHE } from '../never-cache.js';
import { documentOnlySchemas } from '../openapi.js';
import type { BadgeRequest } from './badge-path.js';
import { parseBadgePath } from './badge-path.js';

export interface BadgePluginOptions {
  badges: BadgeService;
  secretKey: string;
  /** Label of the all-checks badge (MASTER_BADGE_LABEL). */
  allChecksLabel: string;
}

function sendBadge(reply: FastifyReply, format: BadgeFormat, label: string, summary: BadgeSummary): FastifyReply {
  if (format === 'json') return reply.send(summary);
  if (format === 'shields') return reply.send(shieldsJson(label, summary.status));
  return reply.type('image/svg+xml').send(badgeSvg(label, summary.status));
}

/** Documentation of a badge route (OpenAPI); the path after the prefix is one wildcard. */
function badgeSchema(form: string): FastifySchema {
  return {
    tags: ['Badges'],
    summary: `A status badge: ${form}`,
    params: { type: 'object', properties: { '*': { type: 'string', description: form } }, required: ['*'] },
    response: {
      200: {
        description: 'the badge; `late` only on 3-state badges',
        content: {
          'image/svg+xml': { schema: { type: 'string' } },
          'application/json': {
            schema: {
              description: '`json`: {"status", "total", "grace", "down"}; `shields`: a shields.io endpoint document',
              type: 'object',
              properties: {
                status: { type: 'string', enum: ['up', 'late', 'down'] },
                total: { type: 'integer' },
                grace: { type: 'integer' },
                down: { type: 'integer' },
                schemaVersion: { type: 'integer' },
                label: { type: 'string' },
                message: { type: 'string' },
                color: { type: 'string' },
              },
            },
          },
        },
      },
      404: { description: 'no such badge, a wrong signature or an unknown format (empty)', type: 'null' },
    },
  };
}

export async function badgePlugin(app: FastifyInstance, options: BadgePluginOptions): Promise<void> {
  const { badges, secretKey, allChecksLabel } = options;
  // The JSON badges are written as Healthchecks writes them (Python's json.dumps).
  app.setReplySerializer((payload) => dumpPythonJson(payload));
  documentOnlySchemas(app);

  async function answer(badge: BadgeRequest, reply: FastifyReply): Promise<FastifyReply> {
    const notFound = () => reply.code(404).send();
    if (!isBadgeFormat(badge.format)) return notFound();
    if (badge.kind === 'check') {
      const check = await badges.checkBadge(badge.badgeKey);
      if (!check) return notFound();
      return sendBadge(reply, badge.format, check.label, summarizeBadge([check.status], badge.states === 3));
    }
    if (!isValidBadgeSignature(badge.badgeKey, badge.tag, badge.signature, secretKey)) return notFound();
    const statuses = await badges.tagStatuses(badge.badgeKey, badge.tag);
    if (!statuses) return notFound();
    const label = badge.tag === ALL_CHECKS_TAG ? allChecksLabel : badge.tag;
    return sendBadge(reply, badge.format, label, summarizeBadge(statuses, signatureWantsLate(badge.signature)));
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.raw.url ?? '';
    const queryStart = url.indexOf('?');
    const badge = parseBadgePath(queryStart === -1 ? url : url.slice(0, queryStart));
    // A path outside the badge URL forms is an ordinary 404, without the badge headers.
    if (!badge) return reply.callNotFound();
    reply.headers(NEVER_CACHE);
    // Healthchecks' cors("GET"): OPTIONS 204, other methods 405, CORS headers on every answer.
    return new CorsResource({ GET: async () => answer(badge, reply) }).serve(request, reply);
  };

  anyMethodRoute(app, '/badge/*', { GET: badgeSchema('<project badge key>/<signature>[/<tag>].<svg|json|shields>') }, handler);
  anyMethodRoute(app, '/b/*', { GET: badgeSchema('<states>/<check badge key>.<svg|json|shields>') }, handler);
}
