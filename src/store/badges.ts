// Lookups by the public badge keys of projects and checks.
import type { Executor } from './executor.js';
import type { CheckRow, ProjectRow } from './schema.js';

export async function findProjectByBadgeKey(db: Executor, badgeKey: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('badge_key', '=', badgeKey).executeTakeFirst();
}

export async function findCheckByBadgeKey(db: Executor, badgeKey: string): Promise<CheckRow | undefined> {
  return db.selectFrom('checks').selectAll().where('badge_key', '=', badgeKey).executeTakeFirst();
}
