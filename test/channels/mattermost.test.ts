// Mattermost incoming webhooks (Slack-compatible payload).
import { describe, expect, it } from 'vitest';
import { mattermost } from '../../src/channels/mattermost/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, useStandIn, upAlert } from './fixtures.js';
import { slackDownPayload, slackUpPayload } from './slack-payload.js';

describe('mattermost', () => {
  const stand = useStandIn();
  const config = () => mattermost.parseConfig(`${stand.server.url}/hooks/abc123`);

  it('posts the Slack-style payload for down and up alerts', async () => {
    await mattermost.send(config(), downAlert(), stand.env());
    await mattermost.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/hooks/abc123' });
    expect(down?.headers['content-type']).toBe('application/json');
    expect(down?.json()).toEqual(slackDownPayload());
    expect(up?.json()).toEqual(slackUpPayload());
  });

  it('validates its URL and is never a no-op', () => {
    expect(() => mattermost.parseConfig('')).toThrow(new ChannelConfigError('url: must not be empty'));
    expect(mattermost.isNoop(config(), 'up')).toBe(false);
  });

  it('reports failures as transient, quoting the answer', async () => {
    stand.server.replyOnce({ status: 400, body: 'Unable to parse incoming data' }, { status: 404, body: '<html>' });
    await expectTransportError(
      mattermost.send(config(), downAlert(), stand.env()),
      'Received status code 400 with a message: "Unable to parse incoming data"',
    );
    await expectTransportError(mattermost.send(config(), downAlert(), stand.env()), 'Received status code 404');
    await expectTransportError(
      mattermost.send(config(), downAlert(), stand.env({ MATTERMOST_ENABLED: 'false' })),
      'Mattermost notifications are not enabled',
    );
  });
});
