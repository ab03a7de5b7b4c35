// Groups fan an alert out to other channels of the project.
import { describe, expect, it } from 'vitest';
import { channelDefinition } from '../../src/channels/registry.js';
import type { GroupMember } from '../../src/channels/types.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

const group = channelDefinition('group')!;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('group', () => {
  const stand = useStandIn();
  const members = (): GroupMember[] => [
    { code: A, kind: 'webhook', value: JSON.stringify({ url_down: `${stand.server.url}/a`, url_up: `${stand.server.url}/a-up` }) },
    { code: B, kind: 'webhook', value: JSON.stringify({ url_down: `${stand.server.url}/b` }) },
  ];
  const resolved: string[][] = [];
  const env = (list = members()) =>
    stand.env({}, {
      resolveGroup: async (codes) => {
        resolved.push([...codes]);
        return list;
      },
    });

  it('sends a down alert through every member', async () => {
    await group.send(group.parseConfig({ channels: [A, B] }), downAlert(), env());
    expect(resolved.at(-1)).toEqual([A, B]);
    expect(stand.server.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /a', 'GET /b']);
  });

  it('skips members that are a no-op for the status', async () => {
    await group.send(group.parseConfig(`${A},${B}`), upAlert(), env());
    expect(stand.server.requests.map((r) => r.path)).toEqual(['/a-up']);
  });

  it('reports how many members failed', async () => {
    stand.server.replyAlways((request) => (request.path === '/b' ? { status: 500 } : { status: 200 }));
    const list = [...members(), { code: C, kind: 'no-such-kind', value: '{}' }];
    await expectTransportError(group.send(group.parseConfig([A, B, C].join(',')), downAlert(), env(list)), '2 out of 3 notifications failed');
  });

  it('validates its configuration', () => {
    expect(group.parseConfig(` ${A.toUpperCase()} ,${B}`)).toEqual({ channels: [A, B] });
    expect(() => group.parseConfig('not-a-uuid')).toThrow(new ChannelConfigError('channels.0: must be channel UUIDs'));
    expect(() => group.parseConfig('')).toThrow(new ChannelConfigError('channels: must name at least one channel'));
    expect(group.isNoop(group.parseConfig(A), 'up')).toBe(false);
  });

  it('needs resolveGroup from the delivery engine', async () => {
    await expectTransportError(group.send(group.parseConfig(A), downAlert(), stand.env()), 'Group notifications are not available');
  });
});
