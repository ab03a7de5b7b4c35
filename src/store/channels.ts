// Notification channels and their assignment to checks.
import type { Executor } from './executor.js';
import type { ChannelRow } from './schema.js';

export async function listChannels(db: Executor, projectId: number): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
}

export async function channelCodesOfCheck(db: Executor, checkId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .where('check_channels.check_id', '=', checkId)
    .select('channels.code')
    .execute();
  return rows.map((r) => r.code).sort();
}

/** Replaces the whole set of channels assigned to a check. */
export async function setCheckChannels(db: Executor, checkId: number, channelIds: number[]): Promise<void> {
  await db.deleteFrom('check_channels').where('check_id', '=', checkId).execute();
  if (channelIds.length === 0) return;
  await db
    .insertInto('check_channels')
    .values([...new Set(channelIds)].map((channel_id) => ({ check_id: checkId, channel_id })))
    .execute();
}
