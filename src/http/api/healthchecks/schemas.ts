// JSON Schemas of the Management API routes. They document the API (OpenAPI at
// /api/openapi.json) and do not validate: request checking is hand-written so that every error
// has Healthchecks' exact status and message (see plugin.ts).
import type { FastifySchema } from 'fastify';

const nullable = (type: string, description: string) => ({ type: [type, 'null'], description });

const CHECK_PROPERTIES = {
  name: { type: 'string' },
  slug: { type: 'string' },
  tags: { type: 'string', description: 'space-separated tags' },
  desc: { type: 'string' },
  grace: { type: 'integer', description: 'seconds' },
  n_pings: { type: 'integer' },
  status: { type: 'string', enum: ['new', 'started', 'up', 'grace', 'down', 'paused'], description: '`started` in v1 only' },
  started: { type: 'boolean' },
  last_ping: nullable('string', 'ISO 8601, +00:00, no fraction'),
  next_ping: nullable('string', 'ISO 8601, +00:00, no fraction'),
  manual_resume: { type: 'boolean' },
  methods: { type: 'string', enum: ['', 'POST'] },
  subject: { type: 'string', description: 'legacy' },
  subject_fail: { type: 'string', description: 'legacy' },
  start_kw: { type: 'string' },
  success_kw: { type: 'string' },
  failure_kw: { type: 'string' },
  filter_subject: { type: 'boolean' },
  filter_body: { type: 'boolean' },
  filter_http_body: { type: 'boolean' },
  filter_default_fail: { type: 'boolean' },
  badge_url: { type: 'string' },
  last_duration: { type: 'integer', description: 'seconds; only when the last run had a duration' },
  unique_key: { type: 'string', description: 'read-only keys only' },
  uuid: { type: 'string', description: 'read-write keys only' },
  ping_url: { type: 'string', description: 'read-write keys only' },
  update_url: { type: 'string', description: 'read-write keys only' },
  pause_url: { type: 'string', description: 'read-write keys only' },
  resume_url: { type: 'string', description: 'read-write keys only' },
  channels: { type: 'string', description: 'read-write keys only: comma-separated channel UUIDs' },
  timeout: { type: 'integer', description: 'seconds; simple checks only' },
  schedule: { type: 'string', description: 'cron or OnCalendar checks only' },
  tz: { type: 'string', description: 'cron or OnCalendar checks only' },
  max_duration: nullable('integer', 'Lookout: seconds a run may take before it is stuck'),
  alert_on_missed: { type: 'boolean', description: 'Lookout' },
  alert_on_fail: { type: 'boolean', description: 'Lookout' },
  alert_on_stuck: { type: 'boolean', description: 'Lookout' },
  alert_on_long: { type: 'boolean', description: 'Lookout' },
  ping_code: { type: 'string', description: 'Lookout, read-write keys only: 8-character ping code' },
};

const check = { type: 'object', description: 'A check (Healthchecks `Check.to_dict`)', properties: CHECK_PROPERTIES };

const CHECK_INPUT = {
  type: 'object',
  description:
    'Parsed as JSON whatever the Content-Type. Every field is optional; `null` is refused. Errors: 400 {"error": "json validation error: <field> is …"}',
  properties: {
    api_key: { type: 'string', description: 'alternative to the X-Api-Key header' },
    name: { type: 'string', maxLength: 100 },
    slug: { type: 'string', maxLength: 100, pattern: '^[a-z0-9-_]*$' },
    tags: { type: 'string' },
    desc: { type: 'string' },
    timeout: { type: 'integer', minimum: 60, maximum: 31536000 },
    grace: { type: 'integer', minimum: 60, maximum: 31536000 },
    schedule: { type: 'string', maxLength: 100, description: 'cron or OnCalendar expression' },
    tz: { type: 'string', description: 'IANA time zone' },
    manual_resume: { type: 'boolean' },
    methods: { type: 'string', enum: ['', 'POST'] },
    channels: { type: 'string', description: '"*", "" or comma-separated channel UUIDs or names' },
    start_kw: { type: 'string', maxLength: 200 },
    success_kw: { type: 'string', maxLength: 200 },
    failure_kw: { type: 'string', maxLength: 200 },
    subject: { type: 'string', maxLength: 200, description: 'deprecated' },
    subject_fail: { type: 'string', maxLength: 200, description: 'deprecated' },
    filter_subject: { type: 'boolean' },
    filter_body: { type: 'boolean' },
    filter_http_body: { type: 'boolean' },
    filter_default_fail: { type: 'boolean' },
    unique: { type: 'array', items: { type: 'string', enum: ['name', 'slug', 'tags', 'timeout', 'grace'] } },
    max_duration: { type: ['integer', 'null'], minimum: 60, maximum: 31536000, description: 'Lookout' },
    alert_on_missed: { type: 'boolean', description: 'Lookout' },
    alert_on_fail: { type: 'boolean', description: 'Lookout' },
    alert_on_stuck: { type: 'boolean', description: 'Lookout' },
    alert_on_long: { type: 'boolean', description: 'Lookout' },
  },
};

const error = (description: string) => ({
  description,
  type: 'object',
  properties: { error: { type: 'string' } },
});
const empty = (description: string) => ({ description, type: 'null' });

const AUTH_ERRORS = {
  401: error('{"error": "missing api key"} or {"error": "wrong api key"}'),
};
const CHECK_ERRORS = {
  ...AUTH_ERRORS,
  403: empty('the check belongs to another project'),
  404: error('no such check: {"error": "not found"}'),
};

const CHECK_ID = {
  type: 'object',
  properties: { id: { type: 'string', description: 'check UUID (lowercase)' } },
  required: ['id'],
};
const CHECK_ID_OR_KEY = {
  type: 'object',
  properties: { id: { type: 'string', description: 'check UUID, or (GET only) its 40-character unique_key' } },
  required: ['id'],
};

export interface RouteDocs {
  tag: string;
}

type Schemas = Record<string, Partial<Record<'GET' | 'POST' | 'DELETE', FastifySchema>>>;

/** Route schemas of one API version, by route URL and method. */
export function apiSchemas({ tag }: RouteDocs): Schemas {
  const base = { tags: [tag], security: [{ apiKey: [] }] };
  const checkResponse = (ok: string, errors: object = CHECK_ERRORS) => ({ 200: { ...check, description: ok }, ...errors });
  return {
    '/checks/': {
      GET: {
        ...base,
        summary: 'List checks (read-only keys allowed)',
        querystring: {
          type: 'object',
          properties: {
            tag: { type: 'array', items: { type: 'string' }, description: 'repeatable; every tag must match' },
            slug: { type: 'string' },
          },
        },
        response: {
          200: { description: 'the project’s checks', type: 'object', properties: { checks: { type: 'array', items: check } } },
          ...AUTH_ERRORS,
        },
      },
      POST: {
        ...base,
        summary: 'Create a check, or update the one `unique` names',
        body: CHECK_INPUT,
        response: {
          201: { ...check, description: 'created' },
          200: { ...check, description: 'an existing check matched `unique` and was updated' },
          400: error('validation error'),
          ...AUTH_ERRORS,
          403: empty('the account has reached its check limit'),
        },
      },
    },
    '/checks/:id': {
      GET: { ...base, summary: 'Get a check (read-only keys allowed)', params: CHECK_ID_OR_KEY, response: checkResponse('the check') },
      POST: {
        ...base,
        summary: 'Update a check: only the fields given change',
        params: CHECK_ID,
        body: CHECK_INPUT,
        response: { ...checkResponse('the updated check'), 400: error('validation error') },
      },
      DELETE: { ...base, summary: 'Delete a check', params: CHECK_ID, response: checkResponse('the check as it was') },
    },
    '/checks/:id/pause': {
      POST: { ...base, summary: 'Pause monitoring', params: CHECK_ID, response: checkResponse('the paused check') },
    },
    '/checks/:id/resume': {
      POST: {
        ...base,
        summary: 'Resume a paused check (status becomes new)',
        params: CHECK_ID,
        response: { ...checkResponse('the resumed check'), 409: { description: 'plain text: check is not paused', type: 'string' } },
      },
    },
    '/checks/:id/ping-code': {
      POST: {
        ...base,
        summary: 'Lookout: give the check a new 8-character ping code (the old one stops working)',
        params: CHECK_ID,
        response: checkResponse('the check with its new ping_code'),
      },
    },
    '/checks/:id/pings/': {
      GET: {
        ...base,
        summary: 'List the check’s pings, newest first (read-write keys only)',
        params: CHECK_ID,
        response: {
          200: {
            description: 'the ping log',
            type: 'object',
            properties: {
              pings: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    type: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ign'] },
                    date: { type: 'string', description: 'ISO 8601 with microseconds unless zero' },
                    n: { type: 'integer' },
                    scheme: { type: 'string' },
                    remote_addr: { type: ['string', 'null'] },
                    method: { type: 'string' },
                    ua: { type: 'string' },
                    rid: { type: ['string', 'null'] },
                    body_url: { type: ['string', 'null'] },
                    duration: { type: 'number', description: 'seconds, only for completed runs' },
                  },
                },
              },
            },
          },
          ...CHECK_ERRORS,
        },
      },
    },
    '/checks/:id/pings/:n/body': {
      GET: {
        ...base,
        summary: 'A ping’s stored body, byte for byte (read-write keys only)',
        params: {
          type: 'object',
          properties: { id: CHECK_ID.properties.id, n: { type: 'integer', description: 'the ping’s number' } },
          required: ['id', 'n'],
        },
        produces: ['text/plain'],
        response: {
          200: { description: 'the body (text/plain)', type: 'string' },
          ...AUTH_ERRORS,
          403: CHECK_ERRORS[403],
          404: error('no such check, ping or body'),
        },
      },
    },
    '/checks/:id/flips/': {
      GET: {
        ...base,
        summary: 'List the check’s status changes, newest first (read-only keys allowed)',
        params: CHECK_ID_OR_KEY,
        querystring: {
          type: 'object',
          properties: {
            start: { type: 'integer', minimum: 0, maximum: 10000000000, description: 'UNIX time; flips at or after' },
            end: { type: 'integer', minimum: 0, maximum: 10000000000, description: 'UNIX time; flips before' },
            seconds: { type: 'integer', minimum: 0, maximum: 31536000, description: 'flips of the last N seconds; 0 = all' },
          },
        },
        response: {
          200: {
            description: 'the flips',
            type: 'object',
            properties: {
              flips: {
                type: 'array',
                items: { type: 'object', properties: { timestamp: { type: 'string' }, up: { type: 'integer', enum: [0, 1] } } },
              },
            },
          },
          400: empty('a query parameter is not an integer or out of range'),
          ...CHECK_ERRORS,
        },
      },
    },
    '/channels/': {
      GET: {
        ...base,
        summary: 'List the project’s integrations (read-write keys only)',
        response: {
          200: {
            description: 'the channels',
            type: 'object',
            properties: {
              channels: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { id: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' } },
                },
              },
            },
          },
          ...AUTH_ERRORS,
        },
      },
    },
    '/badges/': {
      GET: {
        ...base,
        summary: 'Badge URLs for every tag of the project and for all checks ("*")',
        response: {
          200: {
            description: 'svg, svg3, json, json3, shields and shields3 URLs per tag',
            type: 'object',
            properties: { badges: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } } },
          },
          ...AUTH_ERRORS,
        },
      },
    },
    '/status/': {
      GET: { tags: [tag], summary: 'Database check: 200 "OK" (any method, no key)', response: { 200: { description: 'OK', type: 'string' } } },
    },
    '/metrics/': {
      GET: {
        tags: [tag],
        summary: 'Internal metrics (X-Metrics-Key header equal to METRICS_KEY)',
        headers: { type: 'object', properties: { 'x-metrics-key': { type: 'string' } } },
        response: {
          200: {
            description: 'counters',
            type: 'object',
            properties: {
              ts: { type: 'integer' },
              max_ping_id: { type: ['integer', 'null'] },
              max_notification_id: { type: ['integer', 'null'] },
              num_unprocessed_flips: { type: 'integer' },
            },
          },
          403: empty('METRICS_KEY is unset or the header does not match'),
        },
      },
    },
    '/notifications/:id/status': {
      POST: {
        tags: [tag],
        summary: 'Delivery status callback (always 200, empty)',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: empty('accepted') },
      },
    },
    '/bounces/': {
      POST: {
        tags: [tag],
        summary: 'Email bounce (DSN) intake (always 200, plain text)',
        response: { 200: { description: 'OK (…)', type: 'string' } },
      },
    },
  };
}
