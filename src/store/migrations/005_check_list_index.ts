// A project's checks in id order straight from an index: the check list (up to tens of thousands
// of rows) then needs no sort, and the rows are visited in table order.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('checks_project_id').on('checks').columns(['project_id', 'id']).execute();
}
