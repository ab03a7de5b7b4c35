// The HTTP server: pings go straight to their handler, everything else to Fastify, with one
// plugin per surface, each thin over the services.
import http from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Accounts } from '../accounts/service.js';
import { BadgeService } from '../checks/badges.js';
import { CronCheckService } from '../checks/cron-checks.js';
import { ServerService } from '../checks/servers.js';
import type { CheckService } from '../checks/service.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { PingIngest } from '../ingest/ingest.js';
import type { ChannelService } from '../notify/channel-service.js';
import type { Store } from '../store/database.js';
import { TrustedProxies } from './client-address.js';
import { channelsApiPlugin } from './api/channels/plugin.js';
import { cronChecksApiPlugin } from './api/cron-checks/plugin.js';
import { healthchecksApiPlugin } from './api/healthchecks/plugin.js';
import { badgePlugin } from './badges/plugin.js';
import { metricsPlugin } from './metrics/plugin.js';
import { registerOpenApi } from './openapi.js';
import { checkContinue, createPingHandler } from './ping/handler.js';

export interface AppServices {
  config: Config;
  store: Store;
  clock: Clock;
  accounts: Accounts;
  checks: CheckService;
  ingest: PingIngest;
  logger: FastifyBaseLogger;
  /** The instance secret (resolveSecretKey): signs badge URLs. */
  secretKey: string;
  /** Serves the native channels API (/api/v3/channels/:id…) when given. */
  channels?: ChannelService;
}

// Long URLs and headers are refused by Node itself (431/414) before they reach a route.
const MAX_HEADER_BYTES = 16 * 1024;

export async function buildApp(services: AppServices): Promise<FastifyInstance> {
  const { config } = services;
  const handlePing = createPingHandler({
    ingest: services.ingest,
    clock: services.clock,
    proxies: new TrustedProxies(config.trustedProxies),
    pingBodyLimit: config.pingBodyLimit,
    maxUploadBytes: config.maxUploadBytes,
    logger: services.logger,
  });
  const continueOrRefuse = checkContinue(config.maxUploadBytes);
  const app = Fastify({
    serverFactory: (handleWithFastify) => {
      const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
        if (!handlePing(request, response)) handleWithFastify(request, response);
      });
      server.on('checkContinue', (request, response) =>
        continueOrRefuse(request, response, () => server.emit('request', request, response)),
      );
      return server;
    },
    loggerInstance: services.logger,
    // One log line per request would cost more than the request itself on the ping path.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
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

  // First, so that the OpenAPI document sees every route registered after it.
  await registerOpenApi(app, { siteRoot: config.siteRoot });
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
      metricsKey: config.metricsKey,
      secretKey: services.secretKey,
      ...(services.channels ? { channelService: services.channels } : {}),
    });
  }
  await app.register(badgePlugin, {
    badges: new BadgeService(services.store, services.clock),
    secretKey: services.secretKey,
    allChecksLabel: config.masterBadgeLabel,
  });
  await app.register(metricsPlugin, {
    enabled: config.prometheusEnabled,
    accounts: services.accounts,
    checks: services.checks,
    clock: services.clock,
  });
  await app.register(cronChecksApiPlugin, {
    accounts: services.accounts,
    cronChecks: new CronCheckService(services.store, services.clock),
    servers: new ServerService(services.store, services.clock),
    clock: services.clock,
    pingEndpoint: config.pingEndpoint,
  });
  if (services.channels) {
    await app.register(channelsApiPlugin, { prefix: '/api/v3', accounts: services.accounts, channels: services.channels });
  }
  return app;
}
