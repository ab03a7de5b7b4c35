// Pushbullet: a note pushed to the devices of the account whose access token is configured.
import { requiredText, withShorthand } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { plainMessage } from '../markup.js';
import { settingBaseUrl } from '../settings.js';
import { headline } from '../text.js';

export const pushbulletConfig = withShorthand('token', { token: requiredText(100) });

export const pushbullet = defineChannel({
  kind: 'pushbullet',
  label: 'Pushbullet',
  schema: pushbulletConfig,
  enabledBy: { setting: 'PUSHBULLET_ENABLED', default: true },
  async send(config, alert, env) {
    const base = settingBaseUrl(env.settings, 'PUSHBULLET_API_URL', 'https://api.pushbullet.com');
    await deliver(
      env,
      'POST',
      `${base}/v2/pushes`,
      {
        headers: { 'access-token': config.token },
        json: { type: 'note', title: headline(alert), body: plainMessage(alert, { body: false }) },
        trusted: true,
      },
      // 401: the access token was revoked.
      (r) => ({ remoteMessage: jsonText(r, 'error', 'message'), permanent: r.status === 401 }),
    );
  },
});
