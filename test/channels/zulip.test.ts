// Zulip: messages posted by a bot.
import { describe, expect, it } from 'vitest';
import { ChannelConfigError } from '../../src/channels/types.js';
import { zulip } from '../../src/channels/zulip/index.js';
import { MARKDOWN_DOWN, MARKDOWN_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('zulip', () => {
  const stand = useStandIn();
  const config = (extra: Record<string, unknown> = {}) =>
    zulip.parseConfig({ bot_email: 'bot@zulip.example', api_key: 'key123', site: stand.server.url, to: 'ops', ...extra });

  it('posts a stream message with the headline as topic for a down alert', async () => {
    await zulip.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/messages' });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('bot@zulip.example:key123').toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.form()).toEqual({ type: 'stream', to: 'ops', topic: '“Nightly backup” is DOWN', content: MARKDOWN_DOWN });
  });

  it('uses a fixed topic and private messages when configured, for an up alert', async () => {
    await zulip.send(config({ mtype: 'private', to: 'alice@example.org', topic: 'cron' }), upAlert(), stand.env());
    expect(stand.server.requests[0]?.form()).toEqual({ type: 'private', to: 'alice@example.org', topic: 'cron', content: MARKDOWN_UP });
  });

  it('validates its configuration', () => {
    expect(() => config({ bot_email: 'nope' })).toThrow(new ChannelConfigError('bot_email: must be an email address'));
    expect(() => config({ mtype: 'channel' })).toThrow(new ChannelConfigError('mtype: must be one of "stream", "private"'));
    expect(() => zulip.parseConfig({ bot_email: 'bot@zulip.example', api_key: 'k', site: 'https://z.example' })).toThrow(
      new ChannelConfigError('to: is required'),
    );
    expect(zulip.isNoop(config(), 'up')).toBe(false);
  });

  it('quotes Zulip’s error message', async () => {
    stand.server.replyOnce({ status: 400, body: { result: 'error', msg: "Stream 'ops' does not exist", code: 'STREAM_DOES_NOT_EXIST' } });
    await expectTransportError(
      zulip.send(config(), downAlert(), stand.env()),
      `Received status code 400 with a message: "Stream 'ops' does not exist"`,
    );
  });
});
