// Users, projects and API keys.
import type { DialectName } from './dialect.js';
import { forUpdate } from './dialect.js';
import type { Executor } from './executor.js';
import type { ApiKeyRow, ProjectRow, UserRow } from './schema.js';

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Executor, user: Omit<UserRow, 'id'>): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertProject(db: Executor, project: Omit<ProjectRow, 'id'>): Promise<ProjectRow> {
  return db.insertInto('projects').values(project).returningAll().executeTakeFirstOrThrow();
}

export async function findProjectByCode(db: Executor, code: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findProjectById(db: Executor, id: number): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProjectByPingKey(db: Executor, pingKey: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('ping_key', '=', pingKey).executeTakeFirst();
}

/**
 * The project with this ping key, locked until the transaction ends: creating checks by slug under
 * this lock means two concurrent pings cannot both create the same check.
 */
export async function lockProjectByPingKey(db: Executor, dialect: DialectName, pingKey: string): Promise<ProjectRow | undefined> {
  const query = db.selectFrom('projects').selectAll().where('ping_key', '=', pingKey);
  return (forUpdate(dialect) ? query.forUpdate() : query).executeTakeFirst();
}

export async function listProjects(db: Executor): Promise<(ProjectRow & { owner_email: string })[]> {
  return db
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.owner_id')
    .selectAll('projects')
    .select('users.email as owner_email')
    .orderBy('projects.id')
    .execute();
}

export async function insertApiKey(db: Executor, key: Omit<ApiKeyRow, 'id'>): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(key).returningAll().executeTakeFirstOrThrow();
}

export async function findApiKeysByPrefix(db: Executor, prefix: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).execute();
}

/** Checks in every project of a user: the quota counts them all. */
export async function countChecksOfOwner(db: Executor, ownerId: number): Promise<number> {
  const row = await db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .where('projects.owner_id', '=', ownerId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
