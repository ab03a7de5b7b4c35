// Telegram Bot API sendMessage.
import { describe, expect, it } from 'vitest';
import { telegram } from '../../src/channels/telegram/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { HTML_DOWN, HTML_UP, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('telegram', () => {
  const stand = useStandIn();
  const settings = () => ({ TELEGRAM_TOKEN: '123:ABC', TELEGRAM_API_URL: `${stand.server.url}/tg/` });

  it('sends the HTML message to the chat for a down alert', async () => {
    await telegram.send(telegram.parseConfig({ id: -1001234, type: 'group', name: 'Ops' }), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/tg/bot123:ABC/sendMessage' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json()).toEqual({
      chat_id: -1001234,
      text: HTML_DOWN,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  });

  it('sends to a topic thread for an up alert', async () => {
    await telegram.send(telegram.parseConfig({ id: -1001234, thread_id: 7 }), upAlert(), stand.env(settings()));
    expect(stand.server.requests[0]?.json()).toEqual({
      chat_id: -1001234,
      message_thread_id: 7,
      text: HTML_UP,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  });

  it('follows a chat migration, storing the new chat id', async () => {
    stand.server.replyOnce({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -100999 } },
    });
    const saved: unknown[] = [];
    const config = telegram.parseConfig({ id: -55 });
    await telegram.send(config, downAlert(), stand.env(settings(), { saveConfig: async (value) => void saved.push(value) }));
    expect(stand.server.requests.map((r) => r.json().chat_id)).toEqual([-55, -100999]);
    expect(saved).toEqual([{ id: -100999, thread_id: null }]);
    expect(telegram.parseConfig(saved[0])).toEqual({ id: -100999, thread_id: null });
  });

  it('validates the chat id', () => {
    expect(telegram.parseConfig('@my_channel')).toEqual({ id: '@my_channel', thread_id: null });
    expect(() => telegram.parseConfig({ id: 'abc' })).toThrow(new ChannelConfigError('id: must be a numeric chat id or an @channel name'));
    expect(() => telegram.parseConfig({ id: 1, thread_id: -1 })).toThrow(new ChannelConfigError('thread_id: must be greater than 0'));
    expect(telegram.isNoop(telegram.parseConfig({ id: 1 }), 'up')).toBe(false);
  });

  it('treats a blocked bot, a deleted group and an unknown chat as permanent', async () => {
    const answer = (description: string) => ({ status: 403, body: { ok: false, error_code: 403, description } });
    stand.server.replyOnce(
      answer('Forbidden: bot was blocked by the user'),
      answer('Forbidden: the group chat was deleted'),
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
      { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5' } },
      { status: 502, body: '<html>Bad Gateway</html>' },
    );
    const send = () => telegram.send(telegram.parseConfig({ id: 1 }), downAlert(), stand.env(settings()));
    await expectTransportError(send(), 'Received status code 403 with a message: "Forbidden: bot was blocked by the user"', true);
    await expectTransportError(send(), 'Received status code 403 with a message: "Forbidden: the group chat was deleted"', true);
    await expectTransportError(send(), 'Received status code 400 with a message: "Bad Request: chat not found"', true);
    await expectTransportError(send(), 'Received status code 429 with a message: "Too Many Requests: retry after 5"');
    await expectTransportError(send(), 'Received status code 502');
  });

  it('needs TELEGRAM_TOKEN', async () => {
    await expectTransportError(
      telegram.send(telegram.parseConfig({ id: 1 }), downAlert(), stand.env({})),
      'Telegram notifications are not enabled',
    );
  });
});
