// Notification channels and their assignment to checks.
import type { Executor } from './executor.js';
import type { ChannelRow, ChannelUpdate, NewChannel } from './schema.js';

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

export async function insertChannel(db: Executor, channel: NewChannel): Promise<ChannelRow> {
  return db.insertInto('channels').values(channel).returningAll().executeTakeFirstOrThrow();
}

export async function findChannelByCode(db: Executor, code: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findChannelsByIds(db: Executor, ids: number[]): Promise<ChannelRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('channels').selectAll().where('id', 'in', ids).execute();
}

export async function updateChannel(db: Executor, id: number, fields: ChannelUpdate): Promise<ChannelRow | undefined> {
  return db.updateTable('channels').set(fields).where('id', '=', id).returningAll().executeTakeFirst();
}

/** A group's members: the project's channels with these codes, leaving out disabled and group channels. */
export async function findGroupMembers(db: Executor, projectId: number, codes: readonly string[]): Promise<Pick<ChannelRow, 'code' | 'kind' | 'value'>[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('channels')
    .select(['code', 'kind', 'value'])
    .where('project_id', '=', projectId)
    .where('code', 'in', [...codes])
    .where('disabled', '=', 0)
    .where('kind', '<>', 'group')
    .orderBy('id')
    .execute();
}

/**
 * Stores a configuration an integration corrected while sending (Telegram's migrated chat id),
 * unless the channel was changed meanwhile: its owner's edit wins.
 */
export async function saveCorrectedConfig(db: Executor, channelId: number, sentWith: string, corrected: string): Promise<void> {
  await db.updateTable('channels').set({ value: corrected }).where('id', '=', channelId).where('value', '=', sentWith).execute();
}

/** Deletes a channel; its assignments and notifications go with it (ON DELETE CASCADE). */
export async function deleteChannel(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('channels').where('id', '=', id).execute();
}

/** UUIDs of the checks a channel is assigned to. */
export async function checkCodesOfChannel(db: Executor, channelId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('check_channels')
    .innerJoin('checks', 'checks.id', 'check_channels.check_id')
    .where('check_channels.channel_id', '=', channelId)
    .select('checks.code')
    .execute();
  return rows.map((r) => r.code).sort();
}
