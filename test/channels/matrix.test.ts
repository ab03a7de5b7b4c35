// Matrix: m.room.message through the client-server API.
import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/channels/matrix/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { HTML_DOWN, HTML_UP, NOTIFICATION_ID, PLAIN_DOWN, PLAIN_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

const withBr = (html: string) => html.replace(/\n/g, '<br>\n');

describe('matrix', () => {
  const stand = useStandIn();
  const settings = () => ({ MATRIX_HOMESERVER: `${stand.server.url}/`, MATRIX_ACCESS_TOKEN: 'syt_secret' });
  const config = () => matrix.parseConfig({ room_id: '!abc:example.org' });

  it('PUTs the message with the notification id as transaction id for a down alert', async () => {
    await matrix.send(config(), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({
      method: 'PUT',
      path: `/_matrix/client/v3/rooms/!abc%3Aexample.org/send/m.room.message/${NOTIFICATION_ID}`,
      query: {},
    });
    expect(request?.headers.authorization).toBe('Bearer syt_secret');
    expect(request?.json()).toEqual({
      msgtype: 'm.text',
      body: PLAIN_DOWN,
      format: 'org.matrix.custom.html',
      formatted_body: withBr(HTML_DOWN),
    });
  });

  it('sends plain and HTML bodies for an up alert', async () => {
    await matrix.send(matrix.parseConfig('#ops:example.org'), upAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request?.path).toBe(`/_matrix/client/v3/rooms/%23ops%3Aexample.org/send/m.room.message/${NOTIFICATION_ID}`);
    expect(request?.json()).toEqual({ msgtype: 'm.text', body: PLAIN_UP, format: 'org.matrix.custom.html', formatted_body: withBr(HTML_UP) });
  });

  it('validates the room', () => {
    expect(() => matrix.parseConfig({ room_id: 'ops' })).toThrow(
      new ChannelConfigError('room_id: must be a room id (!abc:example.org) or alias (#room:example.org)'),
    );
    expect(matrix.isNoop(config(), 'up')).toBe(false);
  });

  it('quotes Matrix errors and needs its settings', async () => {
    stand.server.replyOnce({ status: 403, body: { errcode: 'M_FORBIDDEN', error: 'User not in room' } });
    await expectTransportError(matrix.send(config(), downAlert(), stand.env(settings())), 'Received status code 403 with a message: "User not in room"');
    await expectTransportError(
      matrix.send(config(), downAlert(), stand.env({ MATRIX_HOMESERVER: stand.server.url })),
      'Matrix notifications are not enabled',
    );
  });
});
