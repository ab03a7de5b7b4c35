// Telegram: the bot's sendMessage (HTML) to a chat, optionally to a topic thread.
import { z } from 'zod';
import { withShorthand } from '../config-fields.js';
import { defineChannel } from '../define.js';
import type { OutboundResponse } from '../http.js';
import { ensureSuccess, jsonText, parseJsonBody } from '../http.js';
import { htmlMessage } from '../markup.js';
import { requireSettings, settingBaseUrl } from '../settings.js';
import type { AlertContext, SendEnvironment } from '../types.js';

const chatId = z.union([
  z.number().int(),
  z.string().trim().regex(/^(-?\d+|@\w{5,})$/, 'must be a numeric chat id or an @channel name'),
]);

export const telegramConfig = withShorthand('id', {
  id: chatId,
  thread_id: z.number().int().positive().nullable().default(null),
  // Shown in the dashboard only (Healthchecks stores them too).
  type: z.string().max(20).optional(),
  name: z.string().max(200).optional(),
});
export type TelegramConfig = z.output<typeof telegramConfig>;

/** Answers meaning the bot can never post to this chat again. */
const PERMANENT_DESCRIPTIONS = [
  'Forbidden: bot was blocked by the user',
  'Forbidden: the group chat was deleted',
  'Forbidden: bot was kicked from the group chat',
  'Forbidden: bot was kicked from the supergroup chat',
  'Forbidden: user is deactivated',
  'Bad Request: chat not found',
];

function explain(response: OutboundResponse) {
  const description = jsonText(response, 'description');
  return { remoteMessage: description, permanent: description !== undefined && PERMANENT_DESCRIPTIONS.includes(description) };
}

/** The new id of a group that became a supergroup, when Telegram answers with one. */
function migratedChatId(response: OutboundResponse): number | undefined {
  const id = (parseJsonBody(response) as { parameters?: { migrate_to_chat_id?: unknown } } | undefined)?.parameters
    ?.migrate_to_chat_id;
  return typeof id === 'number' ? id : undefined;
}

async function sendMessage(env: SendEnvironment, config: TelegramConfig, alert: AlertContext): Promise<OutboundResponse> {
  const { TELEGRAM_TOKEN: token } = requireSettings(env.settings, ['TELEGRAM_TOKEN'], 'Telegram');
  const base = settingBaseUrl(env.settings, 'TELEGRAM_API_URL', 'https://api.telegram.org');
  return env.http.request('POST', `${base}/bot${token}/sendMessage`, {
    json: {
      chat_id: config.id,
      ...(config.thread_id === null ? {} : { message_thread_id: config.thread_id }),
      text: htmlMessage(alert),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
    signal: env.signal,
    trusted: true,
  });
}

export const telegram = defineChannel({
  kind: 'telegram',
  label: 'Telegram',
  schema: telegramConfig,
  async send(config, alert, env) {
    let response = await sendMessage(env, config, alert);
    const newId = migratedChatId(response);
    if (newId !== undefined) {
      // The group was upgraded to a supergroup: remember its new id and send there.
      config = { ...config, id: newId };
      await env.saveConfig?.(config);
      response = await sendMessage(env, config, alert);
    }
    ensureSuccess(response, explain);
  },
});
