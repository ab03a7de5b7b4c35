// The `channels` field of the check API: "*" for all, "" for none, or a comma-separated list of
// channel UUIDs or names, each of which must name exactly one channel of the same project.
import type { ChannelRow } from '../store/schema.js';

export class ChannelSpecError extends Error {}

export function resolveChannelSpec(spec: string, channels: ChannelRow[]): number[] {
  if (spec === '*') return channels.map((c) => c.id);
  if (spec === '') return [];
  const ids: number[] = [];
  for (const item of spec.split(',')) {
    if (item === '') throw new ChannelSpecError('empty channel identifier');
    const matches = channels.filter((c) => c.code === item || c.name === item);
    if (matches.length === 0) throw new ChannelSpecError(`invalid channel identifier: ${item}`);
    if (matches.length > 1) throw new ChannelSpecError(`non-unique channel identifier: ${item}`);
    ids.push((matches[0] as ChannelRow).id);
  }
  return [...new Set(ids)];
}
