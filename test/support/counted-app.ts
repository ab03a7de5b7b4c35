// A Lookout app built in-process over a store that counts the SQL statements it runs, to prove that
// an endpoint's statement count does not grow with the data (the test) and to print it (the bench).
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { FastifyInstance } from 'fastify';
import { Accounts, resolveSecretKey } from '../../src/accounts/service.js';
import { CheckService } from '../../src/checks/service.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { PingIngest } from '../../src/ingest/ingest.js';
import { createLogger } from '../../src/server.js';
import type { Store } from '../../src/store/database.js';
import { migrate, openStore } from '../../src/store/database.js';

/** Counts every statement Kysely compiles (raw `sql` included). */
export class QueryCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface CountedApp {
  app: FastifyInstance;
  /** The counting store: seed through it or through `store.db` alike. */
  store: Store;
  accounts: Accounts;
  counter: QueryCounter;
  close(): Promise<void>;
}

export async function startCountedApp(databaseUrl: string): Promise<CountedApp> {
  const base = openStore(databaseUrl);
  await migrate(base);
  const counter = new QueryCounter();
  const store: Store = { ...base, db: base.db.withPlugin(counter) };
  const config = loadConfig({ DATABASE_URL: databaseUrl, SITE_ROOT: 'http://lookout.test', LOG_LEVEL: 'error' });
  const secretKey = await resolveSecretKey(store, config);
  const accounts = new Accounts(store, config, secretKey, systemClock);
  const checks = new CheckService(store, systemClock);
  const ingest = new PingIngest(store, { flushMs: config.ingestFlushMs, maxBatch: config.ingestMaxBatch });
  const app = await buildApp({ config, store, clock: systemClock, accounts, checks, ingest, logger: createLogger('error'), secretKey });
  await app.ready();
  return {
    app,
    store,
    accounts,
    counter,
    async close() {
      await app.close();
      await ingest.close();
      await base.close();
    },
  };
}

/** The status of one GET and the number of statements it ran. */
export async function statementsOf(counted: CountedApp, url: string, apiKey: string): Promise<{ status: number; statements: number }> {
  const before = counted.counter.count;
  const response = await counted.app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });
  return { status: response.statusCode, statements: counted.counter.count - before };
}
