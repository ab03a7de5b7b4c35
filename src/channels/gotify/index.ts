// Gotify: a message to a self-hosted Gotify server with an application token.
import { z } from 'zod';
import { httpUrl, requiredText } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { markdownMessage } from '../markup.js';
import { headline } from '../text.js';

const priority = z.number().int().min(0).max(10).default(5);

export const gotifyConfig = z
  .object({
    url: httpUrl(),
    token: requiredText(100),
    /** Gotify priority for down alerts (1-10); 0 sends none. */
    priority,
    priority_up: priority,
  })
  .strict();

function priorityFor(config: z.output<typeof gotifyConfig>, status: 'up' | 'down'): number {
  return status === 'up' ? config.priority_up : config.priority;
}

export const gotify = defineChannel({
  kind: 'gotify',
  label: 'Gotify',
  schema: gotifyConfig,
  enabledBy: { setting: 'GOTIFY_ENABLED', default: true },
  isNoop: (config, status) => priorityFor(config, status) === 0,
  async send(config, alert, env) {
    const url = new URL('message', config.url.endsWith('/') ? config.url : `${config.url}/`);
    url.searchParams.set('token', config.token);
    await deliver(
      env,
      'POST',
      url,
      {
        json: {
          title: headline(alert),
          message: markdownMessage(alert),
          priority: priorityFor(config, alert.event.status),
          extras: {
            'client::display': { contentType: 'text/markdown' },
            'client::notification': { click: { url: alert.check.detailsUrl } },
          },
        },
      },
      // 401/403: the application token was deleted.
      (r) => ({ remoteMessage: jsonText(r, 'errorDescription'), permanent: r.status === 401 || r.status === 403 }),
    );
  },
});
