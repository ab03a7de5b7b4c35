// Discord webhooks through their Slack-compatible endpoint.
import { describe, expect, it } from 'vitest';
import { discord } from '../../src/channels/discord/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, useStandIn, upAlert } from './fixtures.js';
import { slackDownPayload, slackUpPayload } from './slack-payload.js';

describe('discord', () => {
  const stand = useStandIn();
  const config = () => discord.parseConfig({ url: `${stand.server.url}/api/webhooks/123/abc?thread_id=9` });

  it('posts the Slack-style payload to <webhook url>/slack', async () => {
    await discord.send(config(), downAlert(), stand.env());
    await discord.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/api/webhooks/123/abc/slack', query: { thread_id: '9' } });
    expect(down?.json()).toEqual(slackDownPayload());
    expect(up?.json()).toEqual(slackUpPayload());
  });

  it('validates its URL and is never a no-op', () => {
    expect(() => discord.parseConfig({ url: 'https://discord.com/x', extra: true })).toThrow(
      new ChannelConfigError('configuration unknown field extra'),
    );
    expect(discord.isNoop(config(), 'up')).toBe(false);
  });

  it('treats 404 (webhook deleted) as permanent and other failures as transient', async () => {
    stand.server.replyOnce({ status: 404, body: '{"message": "Unknown Webhook"}' }, { status: 429, body: '{}' });
    await expectTransportError(discord.send(config(), downAlert(), stand.env()), 'Received status code 404', true);
    await expectTransportError(discord.send(config(), downAlert(), stand.env()), 'Received status code 429');
  });
});
