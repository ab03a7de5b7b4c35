// Pushbullet notes.
import { describe, expect, it } from 'vitest';
import { pushbullet } from '../../src/channels/pushbullet/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { PLAIN_DOWN, PLAIN_UP, downAlert, expectTransportError, upAlert, useStandIn, withoutBody } from './fixtures.js';

describe('pushbullet', () => {
  const stand = useStandIn();
  const settings = () => ({ PUSHBULLET_API_URL: stand.server.url });
  const config = () => pushbullet.parseConfig('o.abc123');

  it('pushes a note for a down alert with the access token', async () => {
    await pushbullet.send(config(), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/pushes' });
    expect(request?.headers['access-token']).toBe('o.abc123');
    expect(request?.json()).toEqual({ type: 'note', title: '“Nightly backup” is DOWN', body: withoutBody(PLAIN_DOWN) });
  });

  it('pushes a note for an up alert', async () => {
    await pushbullet.send(config(), upAlert(), stand.env(settings()));
    expect(stand.server.requests[0]?.json()).toEqual({ type: 'note', title: '“Nightly backup” is UP', body: withoutBody(PLAIN_UP) });
  });

  it('validates the token and is never a no-op', () => {
    expect(pushbullet.parseConfig({ token: 't' })).toEqual({ token: 't' });
    expect(() => pushbullet.parseConfig('')).toThrow(new ChannelConfigError('token: must not be empty'));
    expect(pushbullet.isNoop(config(), 'up')).toBe(false);
  });

  it('treats a revoked token as permanent', async () => {
    stand.server.replyOnce(
      { status: 401, body: { error: { code: 'invalid_access_token', message: 'Access token is missing or invalid.' } } },
      { status: 503 },
    );
    await expectTransportError(
      pushbullet.send(config(), downAlert(), stand.env(settings())),
      'Received status code 401 with a message: "Access token is missing or invalid."',
      true,
    );
    await expectTransportError(pushbullet.send(config(), downAlert(), stand.env(settings())), 'Received status code 503');
  });
});
