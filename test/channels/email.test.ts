// Email alerts through a real SMTP server on 127.0.0.1 (smtp-server), parsed with mailparser.
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { email } from '../../src/channels/email/index.js';
import { OutboundHttp } from '../../src/channels/http.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { HTML_DOWN, NOTIFICATION_ID, PLAIN_DOWN, PLAIN_UP, downAlert, expectTransportError, testEnv, upAlert } from './fixtures.js';

interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
  mail: ParsedMail;
}

describe('email', () => {
  const received: Received[] = [];
  let rejectRecipients = false;
  let port = 0;
  const http = new OutboundHttp();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'pw') return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (rejectRecipients) return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          mail,
        });
        callback();
      }, callback);
    },
  });
  const settings = (extra: Record<string, string> = {}) => ({
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(port),
    EMAIL_USE_TLS: 'false',
    DEFAULT_FROM_EMAIL: 'Lookout <alerts@lookout.example>',
    ...extra,
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    rejectRecipients = false;
  });

  it('sends a down alert with subject, text and HTML parts', async () => {
    await email.send(email.parseConfig({ value: 'ops@example.org' }), downAlert(), testEnv(http, settings()));
    const [message] = received;
    expect(message?.envelopeFrom).toBe('alerts@lookout.example');
    expect(message?.envelopeTo).toEqual(['ops@example.org']);
    const mail = message!.mail;
    expect(mail.from?.value).toEqual([{ address: 'alerts@lookout.example', name: 'Lookout' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined).toBe('ops@example.org');
    expect(mail.subject).toBe('DOWN | Nightly backup');
    expect(mail.messageId).toBe(`<${NOTIFICATION_ID}@lookout.example>`);
    expect(mail.text).toBe(PLAIN_DOWN);
    expect(mail.html).toBe(
      [
        '<!DOCTYPE html>',
        '<html>',
        '<head><meta charset="utf-8"><title>“Nightly backup” is DOWN</title></head>',
        '<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; line-height: 1.5;">',
        HTML_DOWN.replace(/\n/g, '<br>\n'),
        '</body>',
        '</html>',
      ].join('\n'),
    );
  });

  it('sends an up alert, authenticating when a user is configured', async () => {
    await email.send(email.parseConfig('ops@example.org'), upAlert(), testEnv(http, settings({ EMAIL_HOST_USER: 'mailer', EMAIL_HOST_PASSWORD: 'pw' })));
    const [message] = received;
    expect(message?.user).toBe('mailer');
    expect(message?.mail.subject).toBe('UP | Nightly backup');
    expect(message?.mail.text).toBe(PLAIN_UP);
  });

  it('honours the per-address toggles and validates the address', () => {
    const downOnly = email.parseConfig({ value: 'ops@example.org', up: false });
    expect(downOnly).toEqual({ value: 'ops@example.org', up: false, down: true });
    expect(email.isNoop(downOnly, 'up')).toBe(true);
    expect(email.isNoop(downOnly, 'down')).toBe(false);
    expect(() => email.parseConfig({ value: 'not-an-address' })).toThrow(new ChannelConfigError('value: must be an email address'));
  });

  it('maps SMTP failures', async () => {
    const config = email.parseConfig('ops@example.org');
    rejectRecipients = true;
    await expectTransportError(email.send(config, downAlert(), testEnv(http, settings())), 'SMTP error 550: 550 5.1.1 No such user', true);
    await expectTransportError(
      email.send(config, downAlert(), testEnv(http, settings({ EMAIL_HOST_USER: 'mailer', EMAIL_HOST_PASSWORD: 'wrong' }))),
      'SMTP error 535: 535 Invalid username or password',
    );
    await expectTransportError(email.send(config, downAlert(), testEnv(http, settings({ EMAIL_PORT: '1' }))), 'Connection failed');
    await expectTransportError(email.send(config, downAlert(), testEnv(http, {})), 'Email notifications are not enabled');
    expect(received).toHaveLength(0);
  });

  it('gives up when the attempt is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectTransportError(
      email.send(email.parseConfig('ops@example.org'), downAlert(), testEnv(http, settings(), { signal: controller.signal })),
      'Connection timed out',
    );
  });
});
