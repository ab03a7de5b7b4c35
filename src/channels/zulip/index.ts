// Zulip: a message to a stream topic or to users, posted by a bot (basic auth: bot email, API key).
import { z } from 'zod';
import { httpUrl, requiredText } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { basicAuth, deliver, jsonText } from '../http.js';
import { markdownMessage } from '../markup.js';
import { headline } from '../text.js';

export const zulipConfig = z
  .object({
    bot_email: z.string().trim().email('must be an email address'),
    api_key: requiredText(100),
    /** The Zulip server, e.g. https://example.zulipchat.com */
    site: httpUrl(),
    mtype: z.enum(['stream', 'private']).default('stream'),
    /** A stream name, or comma-separated recipient emails for private messages. */
    to: requiredText(200),
    /** Empty: the alert's headline. */
    topic: z.string().trim().max(60).default(''),
  })
  .strict();

export const zulip = defineChannel({
  kind: 'zulip',
  label: 'Zulip',
  schema: zulipConfig,
  enabledBy: { setting: 'ZULIP_ENABLED', default: true },
  async send(config, alert, env) {
    const url = `${config.site.replace(/\/+$/, '')}/api/v1/messages`;
    await deliver(
      env,
      'POST',
      url,
      {
        headers: { authorization: basicAuth(config.bot_email, config.api_key) },
        form: {
          type: config.mtype,
          to: config.to,
          topic: config.topic || headline(alert),
          content: markdownMessage(alert),
        },
      },
      (r) => ({ remoteMessage: jsonText(r, 'msg') }),
    );
  },
});
