// JSON Schemas of the native channels API routes. They document the API (OpenAPI at
// /api/openapi.json) and do not validate or serialize: the plugin checks requests itself so that
// errors keep the Healthchecks API's format (see plugin.ts).
import type { FastifySchema } from 'fastify';
import type { Method } from '../healthchecks/cors.js';

const TAG = 'Channels API (v3)';
const base = { tags: [TAG], security: [{ apiKey: [] }] };

const nullable = (type: string, description: string) => ({ type: [type, 'null'], description });
const instant = (description: string) => nullable('string', `${description}; ISO 8601, +00:00, no fraction`);

const CHANNEL = {
  type: 'object',
  description: 'An integration',
  properties: {
    id: { type: 'string', description: 'channel UUID' },
    name: { type: 'string' },
    kind: { type: 'string', description: 'the integration, e.g. email, webhook, slack' },
    config: { type: 'object', description: 'the configuration as submitted; its fields depend on kind', additionalProperties: true },
    disabled: { type: 'boolean', description: 'true after a permanent delivery error, until the configuration changes' },
    last_notify: instant('last delivery attempt'),
    last_notify_duration_ms: nullable('integer', 'how long the last delivery took'),
    last_error: { type: 'string', description: 'the last delivery error, empty when it succeeded' },
    checks: { type: 'array', items: { type: 'string' }, description: 'UUIDs of the checks it is assigned to' },
  },
};

const NOTIFICATIONS = {
  type: 'object',
  properties: {
    notifications: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'notification UUID' },
          check: nullable('string', 'check UUID; null for a test send'),
          channel: { type: 'string', description: 'channel UUID' },
          status: { type: 'string', enum: ['up', 'down'] },
          reason: { type: 'string', description: 'why it was sent (test for a test send)' },
          event_time: instant('when the event happened'),
          created: instant('when the notification was queued'),
          state: { type: 'string', enum: ['pending', 'sending', 'sent', 'failed'] },
          attempts: { type: 'integer' },
          error: { type: 'string', description: 'the last delivery error, empty when none' },
          sent: instant('when it was delivered'),
        },
      },
    },
  },
};

const error = (description: string) => ({ description, type: 'object', properties: { error: { type: 'string' } } });
const empty = (description: string) => ({ description, type: 'null' });

const ERRORS = {
  401: error('{"error": "missing api key"} or {"error": "wrong api key"} (read-write keys only)'),
  403: empty('it belongs to another project'),
  404: error('{"error": "not found"}'),
};
const BODY_ERRORS = { 400: error('the body is not a JSON object, or {"error": "<what to fix>"}') };

const uuidParams = (description: string) => ({
  type: 'object',
  properties: { id: { type: 'string', description: `${description} UUID (lowercase); anything else is 404` } },
  required: ['id'],
});
const CHANNEL_ID = uuidParams('channel');

const LOG_QUERY = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'newest first, at most this many' } },
};
const logResponse = (description: string) => ({
  200: { ...NOTIFICATIONS, description },
  400: error('{"error": "limit must be a number from 1 to 1000"}'),
  ...ERRORS,
});

type Schemas = Record<string, Partial<Record<Method, FastifySchema>>>;

/** `POST /api/v3/channels/`, served beside the Healthchecks API's `GET channels/`. */
export const createChannelSchema: FastifySchema = {
  ...base,
  summary: 'Create an integration (v3 only)',
  body: {
    type: 'object',
    description: 'Parsed as JSON whatever the Content-Type; unknown fields are ignored',
    properties: {
      api_key: { type: 'string', description: 'alternative to the X-Api-Key header' },
      kind: { type: 'string', description: 'the integration, e.g. email, webhook, slack (required)' },
      name: { type: 'string', maxLength: 100 },
      config: { type: 'object', description: 'the configuration; its fields depend on kind (required)' },
    },
    required: ['kind', 'config'],
  },
  response: { 201: { ...CHANNEL, description: 'the new integration' }, ...BODY_ERRORS, 401: ERRORS[401] },
};

/** Route schemas by route URL (under /api/v3) and method. */
export const channelsSchemas = {
  '/channels/:id': {
    GET: {
      ...base,
      summary: 'An integration with its configuration and delivery state',
      params: CHANNEL_ID,
      response: { 200: CHANNEL, ...ERRORS },
    },
    POST: {
      ...base,
      summary: 'Change an integration: only the fields given change',
      params: CHANNEL_ID,
      body: {
        type: 'object',
        description: 'Parsed as JSON whatever the Content-Type; unknown fields are ignored',
        properties: {
          api_key: { type: 'string', description: 'alternative to the X-Api-Key header' },
          name: { type: 'string', maxLength: 100 },
          config: { type: 'object', description: 'a new configuration for the same kind; re-enables a disabled integration' },
          disabled: { type: 'boolean' },
          kind: { type: 'string', description: 'may only repeat the current kind' },
        },
      },
      response: { 200: { ...CHANNEL, description: 'the changed integration' }, ...BODY_ERRORS, ...ERRORS },
    },
    DELETE: {
      ...base,
      summary: 'Delete an integration',
      params: CHANNEL_ID,
      response: { 200: { ...CHANNEL, description: 'the integration as it was' }, ...ERRORS },
    },
  },
  '/channels/:id/test': {
    POST: {
      ...base,
      summary: 'Send a test notification now (one attempt) and log it',
      params: CHANNEL_ID,
      response: {
        200: {
          description: 'whether it was delivered; a failure does not disable the integration',
          type: 'object',
          properties: { ok: { type: 'boolean' }, error: { type: 'string', description: 'empty when ok' } },
        },
        ...BODY_ERRORS,
        ...ERRORS,
      },
    },
  },
  '/channels/:id/notifications/': {
    GET: {
      ...base,
      summary: 'The integration’s notification log, newest first',
      params: CHANNEL_ID,
      querystring: LOG_QUERY,
      response: logResponse('the integration’s notifications'),
    },
  },
  '/checks/:id/notifications/': {
    GET: {
      ...base,
      summary: 'The check’s notification log, newest first',
      params: uuidParams('check'),
      querystring: LOG_QUERY,
      response: logResponse('the check’s notifications'),
    },
  },
} satisfies Schemas;
