// Pushover. The value is Healthchecks' `userkey|priority[|up_priority]`; priority -3 sends nothing,
// 2 (emergency) repeats until acknowledged and is cancelled by tag when the check recovers.
import { z } from 'zod';
import { defineChannel } from '../define.js';
import type { OutboundResponse } from '../http.js';
import { deliver, parseJsonBody } from '../http.js';
import { htmlMessage } from '../markup.js';
import { requireSettings, settingBaseUrl, settingInt } from '../settings.js';
import { headline, viewLabel } from '../text.js';

const PRIORITIES = [-3, -2, -1, 0, 1, 2];
const EMERGENCY = 2;

export const pushoverConfig = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const [userKey = '', down, up, ...rest] = value.split('|');
    const priorities = [down, up ?? down].map(Number);
    if (!/^[A-Za-z0-9]{30}$/.test(userKey)) {
      ctx.addIssue({ code: 'custom', message: 'the user key must be 30 letters and digits' });
    } else if (down === undefined || rest.length > 0 || !priorities.every((p) => PRIORITIES.includes(p))) {
      ctx.addIssue({ code: 'custom', message: 'must be "userkey|priority" or "userkey|priority|up_priority", priorities -3 to 2' });
    } else {
      return { userKey, priority: priorities[0] as number, priorityUp: priorities[1] as number };
    }
    return z.NEVER;
  });
export type PushoverConfig = z.output<typeof pushoverConfig>;

const priorityFor = (config: PushoverConfig, status: 'up' | 'down') =>
  status === 'up' ? config.priorityUp : config.priority;

/** Pushover answers {"user": "invalid", "errors": ["user identifier is not a valid user…"]}. */
function explain(response: OutboundResponse) {
  const doc = parseJsonBody(response) as { user?: unknown; errors?: unknown } | undefined;
  const errors = Array.isArray(doc?.errors) ? doc.errors.filter((e): e is string => typeof e === 'string') : [];
  return { remoteMessage: errors.length > 0 ? errors.join('; ') : undefined, permanent: doc?.user === 'invalid' };
}

export const po = defineChannel({
  kind: 'po',
  label: 'Pushover',
  schema: pushoverConfig,
  isNoop: (config, status) => priorityFor(config, status) === -3,
  async send(config, alert, env) {
    const { PUSHOVER_API_TOKEN: token } = requireSettings(env.settings, ['PUSHOVER_API_TOKEN'], 'Pushover');
    const base = settingBaseUrl(env.settings, 'PUSHOVER_API_URL', 'https://api.pushover.net');
    const { uniqueKey, detailsUrl } = alert.check;
    if (alert.event.status === 'up' && config.priority === EMERGENCY) {
      // Stop the down alert's emergency repetitions.
      const cancel = `${base}/1/receipts/cancel_by_tag/${encodeURIComponent(uniqueKey)}.json`;
      await deliver(env, 'POST', cancel, { form: { token }, trusted: true }, explain);
    }
    const priority = priorityFor(config, alert.event.status);
    await deliver(
      env,
      'POST',
      `${base}/1/messages.json`,
      {
        form: {
          token,
          user: config.userKey,
          title: headline(alert),
          message: htmlMessage(alert, { body: false }),
          html: 1,
          priority,
          tags: uniqueKey,
          url: detailsUrl,
          url_title: viewLabel(alert),
          ...(priority === EMERGENCY
            ? {
                retry: settingInt(env.settings, 'PUSHOVER_EMERGENCY_RETRY_DELAY', 300),
                expire: settingInt(env.settings, 'PUSHOVER_EMERGENCY_EXPIRATION', 86400),
              }
            : {}),
        },
        trusted: true,
      },
      explain,
    );
  },
});
