// Prometheus metrics of a project (spec §5): `/projects/<uuid>/metrics/<read-only key>`, the
// legacy `/projects/<uuid>/checks/metrics/<key>`, and `/projects/<uuid>/metrics/` with the key as
// a bearer token (what Grafana Cloud requires). The project is the key's; the UUID in the path
// only has to be well-formed, as in Healthchecks.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteHandlerMethod } from 'fastify';
import type { Accounts } from '../../accounts/service.js';
import { API_KEY_LENGTH } from '../../accounts/secrets.js';
import type { CheckService } from '../../checks/service.js';
import type { Clock } from '../../clock.js';
import { checkStatus } from '../../core/check-status.js';
import { UUID_LOWER } from '../../core/identifiers.js';
import { checkTimingOf } from '../../store/check-mapping.js';
import { uniqueKey } from '../../checks/unique-key.js';
import { documentOnlySchemas } from '../openapi.js';
import { prometheusText } from './prometheus-text.js';

export interface MetricsPluginOptions {
  /** PROMETHEUS_ENABLED: when false the endpoints do not exist (404). */
  enabled: boolean;
  accounts: Accounts;
  checks: CheckService;
  clock: Clock;
}

const KEY_SEGMENT = /^[-a-zA-Z0-9_]+$/;
const BEARER = 'Bearer ';

const empty = (description: string) => ({ description, type: 'null' });

/** Documentation of a metrics route (OpenAPI), the read-only key in its path or as a bearer token. */
function metricsSchema(keyIn: 'path' | 'bearer', form: string): FastifySchema {
  const withKey = keyIn === 'path';
  return {
    tags: ['Prometheus metrics'],
    summary: `The project’s checks in Prometheus text format (${form})`,
    params: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'a well-formed lowercase UUID; the project is the key’s' },
        ...(withKey ? { key: { type: 'string', description: 'the project’s read-only API key' } } : {}),
      },
      required: withKey ? ['code', 'key'] : ['code'],
    },
    ...(withKey ? {} : { security: [{ bearer: [] }] }),
    produces: ['text/plain'],
    response: {
      200: {
        description: 'hc_check_up, hc_check_started, hc_check_grace, hc_check_paused, hc_tag_up, hc_checks_total, hc_checks_down_total',
        type: 'string',
      },
      400: empty('the key is not 32 characters long'),
      ...(withKey ? {} : { 401: empty('no Authorization: Bearer header') }),
      403: empty('a read-write or unknown key'),
      404: empty('a malformed project UUID'),
    },
  };
}

export async function metricsPlugin(app: FastifyInstance, options: MetricsPluginOptions): Promise<void> {
  if (!options.enabled) return;
  const { accounts, checks, clock } = options;

  async function answer(key: string, reply: FastifyReply): Promise<FastifyReply> {
    if (key.length !== API_KEY_LENGTH) return reply.code(400).send();
    // Only a read-only key may be used: it is often stored in a scraper's configuration.
    const auth = await accounts.authenticate(key);
    if (!auth || !auth.readOnly) return reply.code(403).send();
    const now = clock.now();
    const list = await checks.list(auth.project, {});
    const text = prometheusText(
      list.map(({ check }) => ({
        name: check.name,
        tags: check.tags,
        uniqueKey: uniqueKey(check.code),
        status: checkStatus(checkTimingOf(check), now, { withStarted: false }),
        started: check.last_start !== null,
      })),
    );
    return reply.type('text/plain').send(text);
  }

  const keyInPath = async (request: FastifyRequest, reply: FastifyReply) => {
    const { code, key } = request.params as { code: string; key: string };
    if (!UUID_LOWER.test(code) || !KEY_SEGMENT.test(key)) return reply.callNotFound();
    return answer(key, reply);
  };

  const keyAsBearer = async (request: FastifyRequest, reply: FastifyReply) => {
    const { code } = request.params as { code: string };
    if (!UUID_LOWER.test(code)) return reply.callNotFound();
    const header = request.headers.authorization ?? '';
    if (!header.startsWith(BEARER)) return reply.code(401).send();
    return answer(header.slice(BEARER.length), reply);
  };

  /** Every method is answered; only GET is documented (OpenAPI), the schemas do not validate. */
  documentOnlySchemas(app);
  const anyMethod = (url: string, schema: FastifySchema, handler: RouteHandlerMethod) => {
    app.route({ method: 'GET', url, schema, exposeHeadRoute: false, handler });
    app.route({ method: app.supportedMethods.filter((method) => method !== 'GET'), url, schema: { hide: true }, handler });
  };
  anyMethod('/projects/:code/metrics/:key', metricsSchema('path', 'read-only key in the path'), keyInPath);
  anyMethod('/projects/:code/checks/metrics/:key', metricsSchema('path', 'read-only key in the path, older form'), keyInPath);
  anyMethod('/projects/:code/metrics/', metricsSchema('bearer', 'read-only key as a bearer token, for Grafana Cloud'), keyAsBearer);
}
