// ntfy: a JSON publish to a topic on ntfy.sh or a self-hosted server; priority 0 turns a status off.
import { z } from 'zod';
import { httpUrl } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { markdownMessage } from '../markup.js';
import { headline, viewLabel } from '../text.js';

const priority = z.number().int().min(0).max(5).default(3);

export const ntfyConfig = z
  .object({
    topic: z
      .string()
      .trim()
      .regex(/^[-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
    url: httpUrl().default('https://ntfy.sh'),
    /** 1 (min) … 5 (max) for down alerts; 0 sends none. */
    priority,
    priority_up: priority,
    /** An access token for protected topics. */
    token: z.string().trim().max(100).default(''),
  })
  .strict();

function priorityFor(config: z.output<typeof ntfyConfig>, status: 'up' | 'down'): number {
  return status === 'up' ? config.priority_up : config.priority;
}

export const ntfy = defineChannel({
  kind: 'ntfy',
  label: 'ntfy',
  schema: ntfyConfig,
  enabledBy: { setting: 'NTFY_ENABLED', default: true },
  isNoop: (config, status) => priorityFor(config, status) === 0,
  async send(config, alert, env) {
    await deliver(
      env,
      'POST',
      config.url,
      {
        headers: config.token ? { authorization: `Bearer ${config.token}` } : {},
        json: {
          topic: config.topic,
          priority: priorityFor(config, alert.event.status),
          title: headline(alert),
          message: markdownMessage(alert),
          markdown: true,
          tags: [alert.event.status === 'up' ? 'green_circle' : 'red_circle'],
          actions: [{ action: 'view', label: viewLabel(alert), url: alert.check.detailsUrl, clear: true }],
        },
      },
      (r) => ({ remoteMessage: jsonText(r, 'error'), permanent: r.status === 401 || r.status === 403 }),
    );
  },
});
