// The HTTP server: one Fastify plugin per surface, each thin over the services.
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Accounts } from '../accounts/service.js';
import type { CheckService } from '../checks/service.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { PingIngest } from '../ingest/ingest.js';
import type { Store } from '../store/database.js';
import { TrustedProxies } from './client-address.js';
import { healthchecksApiPlugin } from './api/healthchecks/plugin.js';
import { pingPlugin } from './ping/plugin.js';

export interface AppServices {
  config: Config;
  store: Store;
  clock: Clock;
  accounts: Accounts;
  checks: CheckService;
  ingest: PingIngest;
  logger: FastifyBaseLogger;
}

// Long URLs and headers are refused by Node itself (431/414) before they reach a route.
const MAX_HEADER_BYTES = 16 * 1024;

export async function buildApp(services: AppServices): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    loggerInstance: services.logger,
    // One log line per request would cost more than the request itself on the ping path.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    return503OnClosing: true,
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('not found'));
  app.setErrorHandler((thrown, request, reply) => {
    const error = thrown as Error & { statusCode?: number };
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    if (status === 413) return reply.code(413).send({ error: 'request body too large' });
    if (status < 500) return reply.code(status).send({ error: error.message });
    // A database outage is not the caller's fault, and not a crash: answer 503, keep serving.
    return reply.code(503).type('text/plain; charset=utf-8').send('service unavailable');
  });

  await app.register(pingPlugin, {
    ingest: services.ingest,
    clock: services.clock,
    proxies: new TrustedProxies(config.trustedProxies),
    pingBodyLimit: config.pingBodyLimit,
    maxUploadBytes: config.maxUploadBytes,
  });
  for (const version of [1, 2, 3] as const) {
    await app.register(healthchecksApiPlugin, {
      prefix: `/api/v${version}`,
      version,
      accounts: services.accounts,
      checks: services.checks,
      store: services.store,
      clock: services.clock,
      siteRoot: config.siteRoot,
      pingEndpoint: config.pingEndpoint,
    });
  }
  return app;
}
