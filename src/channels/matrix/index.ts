// Matrix: an m.room.message (plain text and HTML) sent by the instance's bot account. The
// notification id is the transaction id, so a retried attempt never posts twice.
import { z } from 'zod';
import { withShorthand } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { htmlMessage, plainMessage } from '../markup.js';
import { requireSettings, settingBaseUrl } from '../settings.js';

export const matrixConfig = withShorthand('room_id', {
  room_id: z
    .string()
    .trim()
    .regex(/^[!#][^:\s]+:\S+$/, 'must be a room id (!abc:example.org) or alias (#room:example.org)'),
});

export const matrix = defineChannel({
  kind: 'matrix',
  label: 'Matrix',
  schema: matrixConfig,
  async send(config, alert, env) {
    const { MATRIX_ACCESS_TOKEN: token } = requireSettings(env.settings, ['MATRIX_HOMESERVER', 'MATRIX_ACCESS_TOKEN'], 'Matrix');
    const homeserver = settingBaseUrl(env.settings, 'MATRIX_HOMESERVER', '');
    const room = encodeURIComponent(config.room_id);
    const txn = encodeURIComponent(alert.event.notificationId);
    const url = `${homeserver}/_matrix/client/v3/rooms/${room}/send/m.room.message/${txn}`;
    await deliver(
      env,
      'PUT',
      url,
      {
        headers: { authorization: `Bearer ${token}` },
        json: {
          msgtype: 'm.text',
          body: plainMessage(alert),
          format: 'org.matrix.custom.html',
          formatted_body: htmlMessage(alert, { brTags: true }),
        },
        trusted: true,
      },
      (r) => ({ remoteMessage: jsonText(r, 'error') }),
    );
  },
});
