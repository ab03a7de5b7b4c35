// Trello cards.
import { describe, expect, it } from 'vitest';
import { trello } from '../../src/channels/trello/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { MARKDOWN_DOWN, downAlert, expectTransportError, useStandIn } from './fixtures.js';

const LIST = '5f1e2d3c4b5a697887766554';

describe('trello', () => {
  const stand = useStandIn();
  const settings = () => ({ TRELLO_APP_KEY: 'appkey', TRELLO_API_URL: stand.server.url });
  const config = () => trello.parseConfig({ token: 'usertoken', list_id: LIST, board_name: 'Ops', list_name: 'Inbox' });

  it('adds a card for a down alert, parameters in the query', async () => {
    await trello.send(config(), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/1/cards', body: '' });
    expect(request?.query).toEqual({ idList: LIST, name: '“Nightly backup” is DOWN', desc: MARKDOWN_DOWN, key: 'appkey', token: 'usertoken' });
  });

  it('does nothing on up and validates the list id', () => {
    expect(trello.isNoop(config(), 'up')).toBe(true);
    expect(trello.isNoop(config(), 'down')).toBe(false);
    expect(() => trello.parseConfig({ token: 't', list_id: 'abc' })).toThrow(new ChannelConfigError('list_id: must be a 24-character Trello list id'));
  });

  it('treats a rejected token as permanent and needs TRELLO_APP_KEY', async () => {
    stand.server.replyOnce({ status: 401, body: 'invalid token' }, { status: 429, body: 'API_TOO_MANY_CARDS_REQUESTS' });
    await expectTransportError(trello.send(config(), downAlert(), stand.env(settings())), 'Received status code 401 with a message: "invalid token"', true);
    await expectTransportError(
      trello.send(config(), downAlert(), stand.env(settings())),
      'Received status code 429 with a message: "API_TOO_MANY_CARDS_REQUESTS"',
    );
    await expectTransportError(trello.send(config(), downAlert(), stand.env({})), 'Trello notifications are not enabled');
  });
});
