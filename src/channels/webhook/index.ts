// Webhook: a user-defined HTTP request for each status (Healthchecks' webhook kind and value format).
import { z } from 'zod';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { TransportError } from '../types.js';
import { expandTemplate } from './placeholders.js';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const urlTemplate = z
  .string()
  .trim()
  .max(1000)
  .refine((url) => url === '' || /^https?:\/\/[^\s/?#]+/i.test(url), 'must be an http or https URL');

const headerMap = z
  .record(
    z.string().regex(HEADER_NAME, 'header names may only contain letters, digits and !#$%&\'*+-.^_`|~'),
    z
      .string()
      .max(1000)
      .refine((v) => !/[\r\n\0]/.test(v), 'header values must be on one line'),
  )
  .default({});

const method = z.enum(['GET', 'POST', 'PUT']).default('GET');
const bodyTemplate = z.string().max(1000).default('');

export const webhookConfig = z
  .object({
    method_down: method,
    url_down: urlTemplate.default(''),
    body_down: bodyTemplate,
    headers_down: headerMap,
    method_up: method,
    url_up: urlTemplate.default(''),
    body_up: bodyTemplate,
    headers_up: headerMap,
  })
  .strict()
  .refine((c) => c.url_down !== '' || c.url_up !== '', 'needs url_down or url_up');

export type WebhookConfig = z.output<typeof webhookConfig>;

function specFor(config: WebhookConfig, status: 'up' | 'down') {
  return status === 'up'
    ? { method: config.method_up, url: config.url_up, body: config.body_up, headers: config.headers_up }
    : { method: config.method_down, url: config.url_down, body: config.body_down, headers: config.headers_down };
}

export const webhook = defineChannel({
  kind: 'webhook',
  label: 'Webhook',
  schema: webhookConfig,
  enabledBy: { setting: 'WEBHOOKS_ENABLED', default: true },
  isNoop: (config, status) => specFor(config, status).url === '',
  showsCheckJson: (config) =>
    (['up', 'down'] as const).some((status) => {
      const { url, body, headers } = specFor(config, status);
      return [url, body, ...Object.values(headers)].some((template) => template.includes('$JSON'));
    }),
  async send(config, alert, env) {
    const spec = specFor(config, alert.event.status);
    if (spec.url === '') throw new TransportError('Empty webhook URL');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(spec.headers)) headers[name] = expandTemplate(value, alert, 'header');
    const withBody = spec.method !== 'GET' && spec.body !== '';
    await deliver(env, spec.method, expandTemplate(spec.url, alert, 'url'), {
      headers,
      ...(withBody ? { body: expandTemplate(spec.body, alert, 'body') } : {}),
    });
  },
});
