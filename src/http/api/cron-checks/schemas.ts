// JSON Schemas of the Cron Checks API routes (seed 003). They document the API (OpenAPI at
// /api/openapi.json) and do not validate or serialize: the plugin checks requests itself so that
// every problem comes back at once as `400 validation_failed` with `issues` (see plugin.ts).
import type { FastifySchema } from 'fastify';
import { DEFAULT_GRACE, MAX_INTERVAL, MAX_NAME_LENGTH, MIN_INTERVAL } from '../../../checks/cron-check-input.js';

export const CRON_CHECKS_TAG = 'Cron Checks API';

const nullable = (type: string, description: string) => ({ type: [type, 'null'], description });
const instant = (description: string) => nullable('string', `${description}; ISO 8601 in UTC, whole seconds (2026-05-24T03:00:14Z)`);
const flag = (description: string) => ({ type: 'integer', enum: [0, 1], description });

const CHECK = {
  type: 'object',
  description: 'A cron check; every answer shows all of these fields',
  properties: {
    id: { type: 'integer' },
    user_id: { type: 'integer', description: 'the project owner’s id' },
    server_id: nullable('integer', 'the linked server'),
    server_hostname: nullable('string', 'the linked server’s hostname'),
    name: { type: 'string' },
    slug: { type: 'string', description: 'the check’s UUID, the one in its ping URLs' },
    interval_seconds: nullable('integer', 'null for a check on a cron or OnCalendar schedule'),
    grace_seconds: { type: 'integer' },
    max_duration_seconds: nullable('integer', 'a run taking longer is stuck'),
    enabled: flag('0 when paused'),
    status: { type: 'string', enum: ['new', 'up', 'late', 'down', 'paused', 'stuck'] },
    alert_on_missed: flag('alert when a ping is missed'),
    alert_on_fail: flag('alert on a failure ping'),
    alert_on_stuck: flag('alert when a run outlasts max_duration_seconds'),
    alert_on_long: flag('alert on a run longer than max_duration_seconds'),
    last_ping_at: instant('last ping'),
    last_start_at: instant('start of the run in progress'),
    last_success_at: instant('last success'),
    last_fail_at: instant('last failure'),
    last_exit_code: nullable('integer', 'exit status reported with the last success or failure'),
    last_duration_seconds: nullable('integer', 'duration of the last run'),
    created_at: instant('creation'),
  },
};

const PING_URLS = {
  type: 'object',
  description: 'the check’s ping URLs (PING_ENDPOINT)',
  properties: { success: { type: 'string' }, start: { type: 'string' }, fail: { type: 'string' } },
};

const PING = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    check_id: { type: 'integer' },
    ping_type: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ignored'] },
    exit_code: nullable('integer', 'the exit status in the ping URL'),
    duration_seconds: nullable('integer', 'for a completion paired with its start'),
    source_ip: nullable('string', 'as received'),
    user_agent: nullable('string', 'null when empty'),
    body: nullable('string', 'the request body as UTF-8 text, null when empty'),
    received_at: { type: 'string', description: 'ISO 8601 in UTC, whole seconds' },
  },
};

const SERVER = {
  type: 'object',
  properties: { id: { type: 'integer' }, hostname: { type: 'string' }, created_at: { type: 'string' } },
};

const boolean = { type: ['boolean', 'integer'], enum: [true, false, 0, 1] };

/** The fields of create and update; which are required, and `enabled`, differ. */
const checkFields = {
  name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'not blank' },
  interval_seconds: { type: 'integer', minimum: MIN_INTERVAL, maximum: MAX_INTERVAL },
  grace_seconds: {
    type: 'integer',
    minimum: 0,
    description: `at most floor(interval_seconds / 2); default ${DEFAULT_GRACE}, or half the interval when that is smaller`,
  },
  max_duration_seconds: { type: ['integer', 'null'], minimum: 1, description: 'less than interval_seconds; null for no limit' },
  server_id: { type: ['integer', 'null'], description: 'a server of the same project' },
  alert_on_missed: { ...boolean, description: 'default true' },
  alert_on_fail: { ...boolean, description: 'default true' },
  alert_on_stuck: { ...boolean, description: 'default true' },
  alert_on_long: { ...boolean, description: 'default false; true needs max_duration_seconds' },
};

const READ = 'Parsed as JSON whatever the Content-Type; unknown fields are ignored; booleans may be 0/1.';

const CREATE_BODY = {
  type: 'object',
  description: `${READ} Every problem is reported at once.`,
  properties: checkFields,
  required: ['name', 'interval_seconds'],
};

const UPDATE_BODY = {
  type: 'object',
  description: `${READ} Fields left out keep their values; the rules that relate fields see the values the check would end up with.`,
  properties: { ...checkFields, enabled: { ...boolean, description: 'false pauses the check; true resumes a paused one as new' } },
};

const error = (code: string, description: string, extra: Record<string, object> = {}) => ({
  description,
  type: 'object',
  properties: { error: { type: 'string', enum: [code] }, ...extra },
});

const VALIDATION_FAILED = error('validation_failed', 'every problem, each as a field and a reason', {
  issues: {
    type: 'array',
    items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } }, required: ['field', 'reason'] },
  },
});
const NOT_FOUND = error('not_found', 'no such check in the caller’s project');
const UNAUTHORIZED = error('unauthorized', 'no bearer token, or an unknown key (with WWW-Authenticate: Bearer)');
const READ_ONLY = error('forbidden', 'a read-only key on a write', { reason: { type: 'string' } });
const TOO_LARGE = { description: 'a body over 64 KiB', type: 'object', properties: { error: { type: 'string' } } };

const CHECK_ID = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'the check’s numeric id; anything else is 404' } },
  required: ['id'],
};

type Schemas = Record<string, Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', FastifySchema>>>;

const base = { tags: [CRON_CHECKS_TAG], security: [{ bearer: [] }] };
const readErrors = { 401: UNAUTHORIZED };
const writeErrors = { 401: UNAUTHORIZED, 403: READ_ONLY, 413: TOO_LARGE };

/** Route schemas by route URL and method. */
export const cronChecksSchemas = {
  '/cron-checks': {
    GET: {
      ...base,
      summary: 'List the project’s cron checks (read-only keys allowed)',
      response: {
        200: {
          description: 'the checks in creation order and the owner’s check limit',
          type: 'object',
          properties: {
            checks: { type: 'array', items: CHECK },
            plan_limit: { type: 'integer', description: 'the owner’s check limit' },
            current_count: { type: 'integer', description: 'checks counted against it, in all of the owner’s projects' },
            plan: { type: 'string', description: 'always self-hosted' },
          },
        },
        ...readErrors,
      },
    },
    POST: {
      ...base,
      summary: 'Create a cron check',
      body: CREATE_BODY,
      response: {
        201: { description: 'created', type: 'object', properties: { check: CHECK, ping_urls: PING_URLS } },
        400: VALIDATION_FAILED,
        402: error('plan_limit_reached', 'the owner has reached the check limit', {
          current: { type: 'integer' },
          limit: { type: 'integer' },
          plan: { type: 'string' },
        }),
        ...writeErrors,
      },
    },
  },
  '/cron-checks/:id': {
    GET: {
      ...base,
      summary: 'A cron check with its 25 newest pings (read-only keys allowed)',
      params: CHECK_ID,
      querystring: {
        type: 'object',
        properties: { pings_offset: { type: 'integer', minimum: 0, default: 0, description: 'skip this many of the newest pings' } },
      },
      response: {
        200: {
          description: 'the check, its ping URLs and a page of its pings, newest first',
          type: 'object',
          properties: {
            check: CHECK,
            ping_urls: PING_URLS,
            pings: { type: 'array', items: PING, maxItems: 25 },
            pings_total: { type: 'integer', description: 'the pings kept for the check' },
          },
        },
        400: { ...VALIDATION_FAILED, description: 'pings_offset is not a non-negative integer' },
        ...readErrors,
        404: NOT_FOUND,
      },
    },
    PUT: {
      ...base,
      summary: 'Update a cron check: only the fields given change',
      params: CHECK_ID,
      body: UPDATE_BODY,
      response: {
        200: { description: 'the updated check', type: 'object', properties: { check: CHECK } },
        400: { ...VALIDATION_FAILED, description: 'every problem, or no updatable fields provided' },
        ...writeErrors,
        404: NOT_FOUND,
      },
    },
    DELETE: {
      ...base,
      summary: 'Delete a cron check with its ping log and history',
      params: CHECK_ID,
      response: {
        200: { description: 'deleted', type: 'object', properties: { ok: { type: 'boolean', enum: [true] } } },
        ...writeErrors,
        404: NOT_FOUND,
      },
    },
  },
  '/servers': {
    GET: {
      ...base,
      summary: 'List the project’s servers (read-only keys allowed)',
      response: {
        200: { description: 'the servers', type: 'object', properties: { servers: { type: 'array', items: SERVER } } },
        ...readErrors,
      },
    },
    POST: {
      ...base,
      summary: 'Register a server by hostname, or find the one the project has',
      body: {
        type: 'object',
        description: READ,
        properties: {
          hostname: { type: 'string', minLength: 1, maxLength: 253, description: 'letters, digits, dots, dashes, underscores' },
        },
        required: ['hostname'],
      },
      response: {
        201: { description: 'registered', type: 'object', properties: { server: SERVER } },
        200: { description: 'the project already has this hostname', type: 'object', properties: { server: SERVER } },
        400: VALIDATION_FAILED,
        ...writeErrors,
      },
    },
  },
} satisfies Schemas;
