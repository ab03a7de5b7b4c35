// Email through the SMTP server configured with EMAIL_HOST & co. (Django's setting names, as in
// Healthchecks). Each address can receive down alerts, up alerts or both.
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { statusToggles, toggledOff, withShorthand } from '../config-fields.js';
import { defineChannel } from '../define.js';
import type { Settings } from '../settings.js';
import { requireSettings, settingFlag, settingInt, settingText } from '../settings.js';
import type { AlertContext } from '../types.js';
import { TransportError } from '../types.js';
import { renderAlertEmail } from './render.js';

export const emailConfig = withShorthand('value', {
  value: z.string().trim().max(254).email('must be an email address'),
  ...statusToggles,
});

function smtpTransport(settings: Settings) {
  const { EMAIL_HOST: host } = requireSettings(settings, ['EMAIL_HOST'], 'Email');
  const useSsl = settingFlag(settings, 'EMAIL_USE_SSL', false);
  const useTls = settingFlag(settings, 'EMAIL_USE_TLS', true);
  const user = settingText(settings, 'EMAIL_HOST_USER');
  return nodemailer.createTransport({
    host,
    port: settingInt(settings, 'EMAIL_PORT', useSsl ? 465 : 587),
    secure: useSsl,
    // EMAIL_USE_TLS means STARTTLS, required; without it the connection stays plain.
    requireTLS: !useSsl && useTls,
    ignoreTLS: !useSsl && !useTls,
    ...(user ? { auth: { user, pass: settingText(settings, 'EMAIL_HOST_PASSWORD') } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

function transportErrorFor(error: SmtpError): TransportError {
  if (error.responseCode !== undefined) {
    // 5xx answers are final (unknown mailbox, rejected sender); 4xx ones are worth retrying.
    const permanent = error.code === 'EENVELOPE' && error.responseCode >= 500;
    return new TransportError(`SMTP error ${error.responseCode}: ${(error.response ?? error.message).slice(0, 150)}`, permanent);
  }
  if (error.code === 'ETIMEDOUT') return new TransportError('Connection timed out');
  if (error.code === 'EAUTH') return new TransportError('SMTP authentication failed');
  if (error.code === 'ETLS') return new TransportError('TLS handshake failed');
  return new TransportError('Connection failed');
}

/** A Message-ID derived from the notification, so a retried attempt is recognisable as the same mail. */
function messageId(alert: AlertContext): string {
  let host = 'lookout.invalid';
  try {
    host = new URL(alert.site.root).hostname || host;
  } catch {
    // keep the fallback
  }
  return `<${alert.event.notificationId}@${host}>`;
}

export const email = defineChannel({
  kind: 'email',
  label: 'Email',
  schema: emailConfig,
  isNoop: toggledOff,
  async send(config, alert, env) {
    const transport = smtpTransport(env.settings);
    const message = renderAlertEmail(alert);
    const from = settingText(env.settings, 'DEFAULT_FROM_EMAIL', `"${alert.site.name}" <noreply@localhost>`);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new TransportError('Connection timed out'));
      if (env.signal.aborted) onAbort();
      else env.signal.addEventListener('abort', onAbort, { once: true });
    });
    const sent = transport.sendMail({ from, to: config.value, messageId: messageId(alert), ...message });
    try {
      await Promise.race([sent, aborted]);
    } catch (error) {
      throw error instanceof TransportError ? error : transportErrorFor(error as SmtpError);
    } finally {
      env.signal.removeEventListener('abort', onAbort);
      transport.close();
      sent.catch(() => undefined); // an abandoned send may still fail after the transport closes
    }
  },
});
