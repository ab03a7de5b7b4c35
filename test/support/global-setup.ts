// Starts one throwaway PostgreSQL cluster for the whole run (unless TEST_DATABASE_URL names one),
// so that every storage test runs against both databases. Under CI a missing PostgreSQL fails the
// run instead of silently testing SQLite alone.
import type { TestProject } from 'vitest/node';
import type { PgCluster } from './pg-cluster.js';
import { startPgCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
  }
}

let cluster: PgCluster | null = null;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    return;
  }
  try {
    cluster = await startPgCluster();
    project.provide('pgAdminUrl', cluster.adminUrl);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`PostgreSQL unavailable, its tests are skipped: ${(error as Error).message}`);
    project.provide('pgAdminUrl', null);
  }
}

export async function teardown(): Promise<void> {
  cluster?.stop();
}
