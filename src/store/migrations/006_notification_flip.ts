// A notification names its check and the moment of its event (event_at), which is the flip's
// time: its own link to the flip was never read, and cost every notification an index entry and
// every batch of flips a RETURNING of all their rows to find their ids.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_flip').ifExists().execute();
  await db.schema.alterTable('notifications').dropColumn('flip_id').execute();
}
