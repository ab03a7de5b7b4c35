// Trello: adds a card to a list when a check goes down (nothing on up).
import { z } from 'zod';
import { requiredText } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, shortBody } from '../http.js';
import { markdownMessage } from '../markup.js';
import { requireSettings, settingBaseUrl } from '../settings.js';
import { headline } from '../text.js';

export const trelloConfig = z
  .object({
    token: requiredText(200),
    list_id: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{24}$/, 'must be a 24-character Trello list id'),
    // Shown in the dashboard only.
    board_name: z.string().max(200).optional(),
    list_name: z.string().max(200).optional(),
  })
  .strict();

export const trello = defineChannel({
  kind: 'trello',
  label: 'Trello',
  schema: trelloConfig,
  isNoop: (_config, status) => status !== 'down',
  async send(config, alert, env) {
    const { TRELLO_APP_KEY: key } = requireSettings(env.settings, ['TRELLO_APP_KEY'], 'Trello');
    const url = new URL(`${settingBaseUrl(env.settings, 'TRELLO_API_URL', 'https://api.trello.com')}/1/cards`);
    const params = { idList: config.list_id, name: headline(alert), desc: markdownMessage(alert), key, token: config.token };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    // 401 "invalid token": the user revoked Lookout's access.
    await deliver(env, 'POST', url, { trusted: true }, (r) => ({ remoteMessage: shortBody(r), permanent: r.status === 401 }));
  },
});
