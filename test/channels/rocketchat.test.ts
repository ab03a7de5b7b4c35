// Rocket.Chat incoming webhooks (Slack-style attachments, sender name as `alias`).
import { describe, expect, it } from 'vitest';
import { rocketchat } from '../../src/channels/rocketchat/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, useStandIn, upAlert } from './fixtures.js';
import { slackDownPayload, slackUpPayload } from './slack-payload.js';

describe('rocketchat', () => {
  const stand = useStandIn();
  const config = () => rocketchat.parseConfig({ url: `${stand.server.url}/hooks/id/token` });

  it('posts attachments with the alias for down and up alerts', async () => {
    await rocketchat.send(config(), downAlert(), stand.env());
    await rocketchat.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/hooks/id/token' });
    expect(down?.json()).toEqual(slackDownPayload('alias'));
    expect(up?.json()).toEqual(slackUpPayload('alias'));
  });

  it('validates its URL and is never a no-op', () => {
    expect(() => rocketchat.parseConfig({ url: 'javascript:alert(1)' })).toThrow(
      new ChannelConfigError('url: must be an http or https URL'),
    );
    expect(rocketchat.isNoop(config(), 'down')).toBe(false);
  });

  it('reports failures as transient', async () => {
    stand.server.replyOnce({ status: 404, body: '{"success":false}' });
    await expectTransportError(rocketchat.send(config(), downAlert(), stand.env()), 'Received status code 404');
    await expectTransportError(
      rocketchat.send(config(), downAlert(), stand.env({ ROCKETCHAT_ENABLED: 'false' })),
      'Rocket.Chat notifications are not enabled',
    );
  });
});
