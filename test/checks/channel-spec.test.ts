import { describe, expect, it } from 'vitest';
import { ChannelSpecError, resolveChannelSpec } from '../../src/checks/channel-spec.js';
import type { ChannelRow } from '../../src/store/schema.js';

const channel = (id: number, code: string, name: string) => ({ id, code, name }) as ChannelRow;
const channels = [
  channel(1, '4ec5a071-2d08-4baa-898a-eb4eb3cd6941', 'Email to Alice'),
  channel(2, '746a083e-f542-4554-be1a-707ce16d3acc', 'SMS to Alice'),
  channel(3, '11111111-2d08-4baa-898a-eb4eb3cd6941', 'Twin'),
  channel(4, '22222222-2d08-4baa-898a-eb4eb3cd6941', 'Twin'),
];

describe('resolveChannelSpec', () => {
  it('assigns all channels for "*" and none for ""', () => {
    expect(resolveChannelSpec('*', channels)).toEqual([1, 2, 3, 4]);
    expect(resolveChannelSpec('', channels)).toEqual([]);
  });

  it('accepts UUIDs and names, and collapses duplicates', () => {
    expect(resolveChannelSpec('746a083e-f542-4554-be1a-707ce16d3acc,Email to Alice,SMS to Alice', channels)).toEqual([2, 1]);
  });

  it.each([
    ['Email to Alice,', 'empty channel identifier'],
    ['Nobody', 'invalid channel identifier: Nobody'],
    [' Email to Alice', 'invalid channel identifier:  Email to Alice'],
    ['Twin', 'non-unique channel identifier: Twin'],
  ])('refuses %j', (spec, message) => {
    expect(() => resolveChannelSpec(spec, channels)).toThrow(new ChannelSpecError(message));
  });
});
