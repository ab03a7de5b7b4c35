// Pushover (kind "po").
import { describe, expect, it } from 'vitest';
import { po } from '../../src/channels/po/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, HTML_DOWN, HTML_UP, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn, withoutBody } from './fixtures.js';

const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

describe('po (Pushover)', () => {
  const stand = useStandIn();
  const settings = (extra: Record<string, string> = {}) => ({
    PUSHOVER_API_TOKEN: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
    PUSHOVER_API_URL: stand.server.url,
    ...extra,
  });
  const form = (title: string, message: string, priority: string) => ({
    token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
    user: USER,
    title,
    message,
    html: '1',
    priority,
    tags: UNIQUE_KEY,
    url: DETAILS_URL,
    url_title: 'View on Lookout',
  });

  it('posts a down alert as a form', async () => {
    await po.send(po.parseConfig(`${USER}|1`), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/1/messages.json' });
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.form()).toEqual(form('“Nightly backup” is DOWN', withoutBody(HTML_DOWN), '1'));
  });

  it('posts an up alert with the up priority', async () => {
    await po.send(po.parseConfig(`${USER}|1|-1`), upAlert(), stand.env(settings()));
    expect(stand.server.requests.map((r) => r.path)).toEqual(['/1/messages.json']);
    expect(stand.server.requests[0]?.form()).toEqual(form('“Nightly backup” is UP', withoutBody(HTML_UP), '-1'));
  });

  it('sends emergency alerts with retry/expire and cancels them by tag on recovery', async () => {
    const config = po.parseConfig(`${USER}|2|0`);
    await po.send(config, downAlert(), stand.env(settings({ PUSHOVER_EMERGENCY_RETRY_DELAY: '60' })));
    await po.send(config, upAlert(), stand.env(settings()));
    const [down, cancel, up] = stand.server.requests;
    expect(down?.form()).toEqual({ ...form('“Nightly backup” is DOWN', withoutBody(HTML_DOWN), '2'), retry: '60', expire: '86400' });
    expect(cancel).toMatchObject({ method: 'POST', path: `/1/receipts/cancel_by_tag/${UNIQUE_KEY}.json` });
    expect(cancel?.form()).toEqual({ token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi' });
    expect(up?.form()).toEqual(form('“Nightly backup” is UP', withoutBody(HTML_UP), '0'));
  });

  it('parses the value and treats priority -3 as a no-op', () => {
    expect(po.parseConfig(`${USER}|0`)).toEqual({ userKey: USER, priority: 0, priorityUp: 0 });
    const downOnly = po.parseConfig(`${USER}|1|-3`);
    expect(po.isNoop(downOnly, 'up')).toBe(true);
    expect(po.isNoop(downOnly, 'down')).toBe(false);
    expect(() => po.parseConfig('short|0')).toThrow(new ChannelConfigError('configuration the user key must be 30 letters and digits'));
    expect(() => po.parseConfig(`${USER}|5`)).toThrow(
      new ChannelConfigError('configuration must be "userkey|priority" or "userkey|priority|up_priority", priorities -3 to 2'),
    );
    expect(() => po.parseConfig({ user: USER })).toThrow(new ChannelConfigError('configuration must be a string'));
  });

  it('treats an invalid user as permanent', async () => {
    stand.server.replyOnce(
      { status: 400, body: { user: 'invalid', errors: ['user identifier is not a valid user, group, or subscribed user key'], status: 0 } },
      { status: 429, body: { errors: ['message limit reached'], status: 0 } },
    );
    const send = () => po.send(po.parseConfig(`${USER}|0`), downAlert(), stand.env(settings()));
    await expectTransportError(
      send(),
      'Received status code 400 with a message: "user identifier is not a valid user, group, or subscribed user key"',
      true,
    );
    await expectTransportError(send(), 'Received status code 429 with a message: "message limit reached"');
    await expectTransportError(
      po.send(po.parseConfig(`${USER}|0`), downAlert(), stand.env({})),
      'Pushover notifications are not enabled',
    );
  });
});
