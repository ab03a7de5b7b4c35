// The alert email: subject `DOWN | <name>`, a plain-text part and an HTML part with the same content.
import { escapeHtml, htmlMessage, plainMessage } from '../markup.js';
import { headline, subjectLine } from '../text.js';
import type { AlertContext } from '../types.js';

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderAlertEmail(alert: AlertContext): AlertEmail {
  const html = [
    '<!DOCTYPE html>',
    '<html>',
    `<head><meta charset="utf-8"><title>${escapeHtml(headline(alert))}</title></head>`,
    '<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; line-height: 1.5;">',
    htmlMessage(alert, { brTags: true }),
    '</body>',
    '</html>',
  ].join('\n');
  return { subject: subjectLine(alert), text: plainMessage(alert), html };
}
