// The registry knows every kind, and every definition honours the contract.
import { describe, expect, it } from 'vitest';
import { CHANNEL_KINDS, channelDefinition } from '../../src/channels/registry.js';
import { ChannelConfigError } from '../../src/channels/types.js';

describe('channel registry', () => {
  it('lists every integration under its Healthchecks kind name', () => {
    expect(CHANNEL_KINDS).toEqual([
      'apprise', 'call', 'discord', 'email', 'github', 'googlechat', 'gotify', 'group', 'matrix', 'mattermost', 'msteamsw',
      'ntfy', 'opsgenie', 'pagertree', 'pd', 'po', 'pushbullet', 'rocketchat', 'shell', 'signal', 'slack', 'sms', 'spike',
      'telegram', 'trello', 'victorops', 'webhook', 'whatsapp', 'zulip',
    ]); // prettier-ignore
    for (const kind of CHANNEL_KINDS) expect(channelDefinition(kind)?.kind).toBe(kind);
    expect(channelDefinition('hipchat')).toBeUndefined();
  });

  it.each(CHANNEL_KINDS)('%s rejects a configuration of the wrong shape with a ChannelConfigError', (kind) => {
    expect(() => channelDefinition(kind)!.parseConfig(12345)).toThrow(ChannelConfigError);
  });
});
