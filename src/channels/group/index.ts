// Group: sends the alert through other channels of the same project, found with
// SendEnvironment.resolveGroup. Fails with "N out of M notifications failed" when any member fails.
import { z } from 'zod';
import { defineChannel } from '../define.js';
import type { AlertContext, ChannelDefinition, GroupMember, SendEnvironment } from '../types.js';
import { TransportError } from '../types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `{"channels": ["<uuid>", …]}`; Healthchecks' comma-separated string is accepted too. */
export const groupConfig = z.preprocess(
  (raw) => (typeof raw === 'string' ? { channels: raw.split(',').map((s) => s.trim()).filter((s) => s !== '') } : raw),
  z
    .object({
      channels: z
        .array(z.string().trim().toLowerCase().regex(UUID, 'must be channel UUIDs'))
        .min(1, 'must name at least one channel')
        .max(100),
    })
    .strict(),
);

type Outcome = 'sent' | 'noop' | 'failed';

async function sendToMember(
  member: GroupMember,
  alert: AlertContext,
  env: SendEnvironment,
  definitionOf: (kind: string) => ChannelDefinition | undefined,
): Promise<Outcome> {
  const definition = member.kind === 'group' ? undefined : definitionOf(member.kind);
  if (!definition) return 'failed';
  try {
    const config = definition.parseConfig(JSON.parse(member.value));
    if (definition.isNoop(config, alert.event.status)) return 'noop';
    // The member must not overwrite the group's own configuration.
    await definition.send(config, alert, { http: env.http, settings: env.settings, signal: env.signal });
    return 'sent';
  } catch {
    return 'failed';
  }
}

/** The group kind needs the other definitions; the registry passes its lookup in. */
export function createGroupDefinition(definitionOf: (kind: string) => ChannelDefinition | undefined) {
  return defineChannel({
    kind: 'group',
    label: 'Group',
    schema: groupConfig,
    members: (config) => config.channels,
    // Its members are only known at send time, and a webhook among them may show the check.
    showsCheckJson: () => true,
    async send(config, alert, env) {
      if (!env.resolveGroup) throw new TransportError('Group notifications are not available');
      const members = await env.resolveGroup(config.channels);
      const outcomes = await Promise.all(members.map((m) => sendToMember(m, alert, env, definitionOf)));
      const failed = outcomes.filter((o) => o === 'failed').length;
      if (failed > 0) throw new TransportError(`${failed} out of ${members.length} notifications failed`);
    },
  });
}
