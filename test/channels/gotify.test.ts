// Gotify messages.
import { describe, expect, it } from 'vitest';
import { gotify } from '../../src/channels/gotify/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, MARKDOWN_DOWN, MARKDOWN_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('gotify', () => {
  const stand = useStandIn();
  const config = (extra: Record<string, unknown> = {}) => gotify.parseConfig({ url: `${stand.server.url}/gotify`, token: 'AbC.123', ...extra });
  const extras = {
    'client::display': { contentType: 'text/markdown' },
    'client::notification': { click: { url: DETAILS_URL } },
  };

  it('posts a down alert to <url>/message with the token', async () => {
    await gotify.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/gotify/message', query: { token: 'AbC.123' } });
    expect(request?.json()).toEqual({ title: '“Nightly backup” is DOWN', message: MARKDOWN_DOWN, priority: 5, extras });
  });

  it('posts an up alert with the up priority', async () => {
    await gotify.send(config({ priority_up: 2 }), upAlert(), stand.env());
    expect(stand.server.requests[0]?.json()).toEqual({ title: '“Nightly backup” is UP', message: MARKDOWN_UP, priority: 2, extras });
  });

  it('treats priority 0 as a no-op and validates its configuration', () => {
    expect(gotify.isNoop(config({ priority: 0 }), 'down')).toBe(true);
    expect(gotify.isNoop(config({ priority: 0 }), 'up')).toBe(false);
    expect(() => gotify.parseConfig({ url: 'https://g.example' })).toThrow(new ChannelConfigError('token: is required'));
  });

  it('treats a rejected token as permanent', async () => {
    stand.server.replyOnce(
      { status: 401, body: { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' } },
      { status: 500, body: 'oops' },
    );
    await expectTransportError(
      gotify.send(config(), downAlert(), stand.env()),
      'Received status code 401 with a message: "you need to provide a valid access token"',
      true,
    );
    await expectTransportError(gotify.send(config(), downAlert(), stand.env()), 'Received status code 500');
  });
});
