// Fresh, migrated databases of both kinds for tests: a temporary SQLite file, or a new database
// in the test PostgreSQL cluster.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { migrate, openStore } from '../../src/store/database.js';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialects this run can test: PostgreSQL is left out only when it is unavailable outside CI. */
export const DIALECTS: TestDialect[] = inject('pgAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

/** A DATABASE_URL for a new, empty database of the given kind. */
export async function newDatabaseUrl(dialect: TestDialect): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-test-'));
    return `sqlite:${path.join(dir, 'lookout.db')}`;
  }
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('no PostgreSQL for this run');
  const name = `lookout_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function newTestStore(dialect: TestDialect): Promise<Store> {
  const store = openStore(await newDatabaseUrl(dialect));
  await migrate(store);
  return store;
}
