// ntfy publishing.
import { describe, expect, it } from 'vitest';
import { ntfy } from '../../src/channels/ntfy/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, MARKDOWN_DOWN, MARKDOWN_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('ntfy', () => {
  const stand = useStandIn();
  const config = (extra: Record<string, unknown> = {}) => ntfy.parseConfig({ topic: 'backups', url: stand.server.url, ...extra });
  const action = { action: 'view', label: 'View on Lookout', url: DETAILS_URL, clear: true };

  it('publishes a down alert with its priority and a bearer token', async () => {
    await ntfy.send(config({ priority: 5, token: 'tk_abc' }), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(request?.headers.authorization).toBe('Bearer tk_abc');
    expect(request?.json()).toEqual({
      topic: 'backups',
      priority: 5,
      title: '“Nightly backup” is DOWN',
      message: MARKDOWN_DOWN,
      markdown: true,
      tags: ['red_circle'],
      actions: [action],
    });
  });

  it('publishes an up alert with the up priority and no token', async () => {
    await ntfy.send(config({ priority_up: 2 }), upAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json()).toEqual({
      topic: 'backups',
      priority: 2,
      title: '“Nightly backup” is UP',
      message: MARKDOWN_UP,
      markdown: true,
      tags: ['green_circle'],
      actions: [action],
    });
  });

  it('treats priority 0 as a no-op for that status and defaults to ntfy.sh with priority 3', () => {
    const quietUp = ntfy.parseConfig({ topic: 't', priority_up: 0 });
    expect(quietUp).toEqual({ topic: 't', url: 'https://ntfy.sh', priority: 3, priority_up: 0, token: '' });
    expect(ntfy.isNoop(quietUp, 'up')).toBe(true);
    expect(ntfy.isNoop(quietUp, 'down')).toBe(false);
  });

  it('validates its configuration', () => {
    expect(() => ntfy.parseConfig({ topic: 'no spaces' })).toThrow(new ChannelConfigError('topic: must be 1-64 letters, digits, - or _'));
    expect(() => ntfy.parseConfig({ topic: 't', priority: 6 })).toThrow(new ChannelConfigError('priority: must be at most 5'));
  });

  it('treats 401/403 as permanent, others as transient', async () => {
    stand.server.replyOnce(
      { status: 403, body: { code: 40301, http: 403, error: 'forbidden' } },
      { status: 429, body: { code: 42901, http: 429, error: 'limit reached' } },
    );
    await expectTransportError(ntfy.send(config(), downAlert(), stand.env()), 'Received status code 403 with a message: "forbidden"', true);
    await expectTransportError(ntfy.send(config(), downAlert(), stand.env()), 'Received status code 429 with a message: "limit reached"');
  });
});
