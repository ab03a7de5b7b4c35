// Starting and stopping a Lookout server: open and migrate the store, make the services, serve.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { Accounts, resolveSecretKey } from './accounts/service.js';
import { Alerting } from './alerts/alerting.js';
import { outboundHttpFromSettings } from './channels/http.js';
import { channelDefinition } from './channels/registry.js';
import { pickIntegrationSettings } from './channels/settings.js';
import { CheckService } from './checks/service.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { checkJson } from './http/api/healthchecks/check-json.js';
import { PingIngest } from './ingest/ingest.js';
import { ThreadSender } from './notify/thread-sender.js';
import type { Store } from './store/database.js';
import { migrate, openStore } from './store/database.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  accounts: Accounts;
  /** Deadline detection, notification delivery and channels. */
  alerting: Alerting;
  /** The address the server listens on, e.g. http://127.0.0.1:8000. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Credentials for the first admin when the database is empty. */
  adminEmail?: string;
  adminPassword?: string | null;
  /** Called once with the first-start credentials, to be shown to the operator. */
  onBootstrap?: (text: string) => void;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Keys and passwords must never reach a log, whatever is logged by mistake.
    redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'password', 'apiKey', 'api_key'],
  });
}

function bootstrapText(config: Config, result: NonNullable<Awaited<ReturnType<Accounts['bootstrap']>>>): string {
  return [
    '',
    'Lookout is set up. These credentials are shown once; only hashes are stored.',
    `  Admin user: ${result.user.email}   password: ${result.password}`,
    `  Project "${result.project.name}" (${result.project.code})`,
    `    API key (read-write): ${result.apiKey}`,
    `    API key (read-only):  ${result.apiKeyReadOnly}`,
    `    Ping key for slug URLs: ${result.project.ping_key}  (${config.pingEndpoint}${result.project.ping_key}/<slug>)`,
    '',
  ].join('\n');
}

function createAlerting(config: Config, store: Store, clock: Clock, logger: Logger): Alerting {
  const settings = pickIntegrationSettings(process.env);
  const site = { name: config.siteName, root: config.siteRoot };
  return new Alerting(store, {
    clock,
    logger,
    registry: { get: channelDefinition },
    http: outboundHttpFromSettings(settings),
    settings,
    attemptTimeoutMs: config.notifyTimeoutMs,
    sender: new ThreadSender({ settings, attemptTimeoutMs: config.notifyTimeoutMs, site, pingEndpoint: config.pingEndpoint }),
    context: {
      site,
      renderCheckJson: (check, channelCodes) =>
        checkJson(check, channelCodes, { siteRoot: config.siteRoot, pingEndpoint: config.pingEndpoint, version: 3, readOnly: false, now: clock.now() }),
    },
  });
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = openStore(config.databaseUrl);
  try {
    await migrate(store);
    const secretKey = await resolveSecretKey(store, config);
    const accounts = new Accounts(store, config, secretKey, clock);
    const first = await accounts.bootstrap(options.adminEmail ?? 'admin@localhost', options.adminPassword ?? null);
    if (first) (options.onBootstrap ?? ((text) => process.stdout.write(text + '\n')))(bootstrapText(config, first));

    const alerting = createAlerting(config, store, clock, logger);
    const ingest = new PingIngest(store, {
      flushMs: config.ingestFlushMs,
      maxBatch: config.ingestMaxBatch,
      onError: (error, request) => logger.error({ err: error, target: request.route.target }, 'ping not recorded'),
      onCommitted: (earliest) => alerting.scheduler.wake(earliest),
    });
    const checks = new CheckService(store, clock);
    const app = await buildApp({ config, store, clock, accounts, checks, ingest, logger, secretKey, channels: alerting.channels });
    const address = await app.listen({ host: config.host, port: config.port });
    alerting.start();
    logger.info({ address, database: store.dialect }, 'Lookout is listening');
    return {
      app,
      store,
      accounts,
      alerting,
      url: address,
      async close() {
        await app.close();
        await ingest.close();
        await alerting.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
