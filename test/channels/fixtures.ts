// The alerts, environment and assertions the integration tests share.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { OutboundHttp } from '../../src/channels/http.js';
import type { AlertContext, SendEnvironment } from '../../src/channels/types.js';
import { TransportError } from '../../src/channels/types.js';
import type { StandIn, StandInResponder } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';

export const CHECK_CODE = '5d2ba8b7-2f58-4a0a-9d4e-7c1d3f0a9b11';
export const UNIQUE_KEY = '3f786850e387550fdab836ed7e6dc881de23001b';
export const NOTIFICATION_ID = '9e1f6c0a-7b3d-4c2e-8f5a-1d2c3b4a5e6f';
export const DETAILS_URL = `https://lookout.example/checks/${CHECK_CODE}/details/`;

/** A simple check that missed its deadline. */
export function downAlert(): AlertContext {
  return {
    site: { name: 'Lookout', root: 'https://lookout.example' },
    project: { code: '0f0e0d0c-0b0a-4909-8807-060504030201', name: 'Backups' },
    check: {
      code: CHECK_CODE,
      name: 'Nightly backup',
      slug: 'nightly-backup',
      tags: 'prod db',
      description: 'Dumps the main database',
      kind: 'simple',
      timeout: 86400,
      grace: 3600,
      schedule: '* * * * *',
      tz: 'UTC',
      nPings: 42,
      lastPing: Date.UTC(2025, 0, 1, 3, 0, 0),
      uniqueKey: UNIQUE_KEY,
      detailsUrl: DETAILS_URL,
      json: { name: 'Nightly backup', slug: 'nightly-backup', tags: 'prod db', status: 'down', n_pings: 42, grace: 3600 },
    },
    event: { status: 'down', reason: 'timeout', at: Date.UTC(2025, 0, 2, 4, 0, 0), downtimeMs: null, notificationId: NOTIFICATION_ID },
    lastPing: { kind: null, body: 'backup finished', exitStatus: 0 },
  };
}

/** The same check recovering after 2 hours 5 minutes. */
export function upAlert(): AlertContext {
  const alert = downAlert();
  return {
    ...alert,
    check: { ...alert.check, nPings: 43, lastPing: Date.UTC(2025, 0, 2, 6, 5, 0), json: { ...alert.check.json, status: 'up' } },
    event: { ...alert.event, status: 'up', reason: '', at: Date.UTC(2025, 0, 2, 6, 5, 0), downtimeMs: 7_500_000 },
    lastPing: { kind: null, body: 'backup finished late', exitStatus: 0 },
  };
}

/** plainMessage(downAlert()), written out. */
export const PLAIN_DOWN = `“Nightly backup” is DOWN.
No ping arrived in time.

Description: Dumps the main database
Project: Backups
Tags: prod db
Period: 1 day
Grace time: 1 hour
Last ping: Success, 2025-01-01 03:00:00 UTC
Total pings: 42

Last ping body:
backup finished

View on Lookout: ${DETAILS_URL}`;

/** plainMessage(upAlert()), written out. */
export const PLAIN_UP = `“Nightly backup” is UP.
The downtime lasted 2 hours 5 minutes.

Description: Dumps the main database
Project: Backups
Tags: prod db
Period: 1 day
Grace time: 1 hour
Last ping: Success, 2025-01-02 06:05:00 UTC
Total pings: 43

Last ping body:
backup finished late

View on Lookout: ${DETAILS_URL}`;

/** markdownMessage(downAlert()), written out. */
export const MARKDOWN_DOWN = `**“Nightly backup” is DOWN.**  
No ping arrived in time.

**Description:** Dumps the main database  
**Project:** Backups  
**Tags:** prod db  
**Period:** 1 day  
**Grace time:** 1 hour  
**Last ping:** Success, 2025-01-01 03:00:00 UTC  
**Total pings:** 42

**Last ping body:**
\`\`\`
backup finished
\`\`\`

[View on Lookout](${DETAILS_URL})`;

/** markdownMessage(upAlert()), written out. */
export const MARKDOWN_UP = `**“Nightly backup” is UP.**  
The downtime lasted 2 hours 5 minutes.

**Description:** Dumps the main database  
**Project:** Backups  
**Tags:** prod db  
**Period:** 1 day  
**Grace time:** 1 hour  
**Last ping:** Success, 2025-01-02 06:05:00 UTC  
**Total pings:** 43

**Last ping body:**
\`\`\`
backup finished late
\`\`\`

[View on Lookout](${DETAILS_URL})`;

/** htmlMessage(downAlert()), written out. */
export const HTML_DOWN = `<b>“Nightly backup” is DOWN.</b>
No ping arrived in time.

<b>Description:</b> Dumps the main database
<b>Project:</b> Backups
<b>Tags:</b> prod db
<b>Period:</b> 1 day
<b>Grace time:</b> 1 hour
<b>Last ping:</b> Success, 2025-01-01 03:00:00 UTC
<b>Total pings:</b> 42

<b>Last ping body:</b>
<pre>backup finished</pre>

<a href="${DETAILS_URL}">View on Lookout</a>`;

/** htmlMessage(upAlert()), written out. */
export const HTML_UP = `<b>“Nightly backup” is UP.</b>
The downtime lasted 2 hours 5 minutes.

<b>Description:</b> Dumps the main database
<b>Project:</b> Backups
<b>Tags:</b> prod db
<b>Period:</b> 1 day
<b>Grace time:</b> 1 hour
<b>Last ping:</b> Success, 2025-01-02 06:05:00 UTC
<b>Total pings:</b> 43

<b>Last ping body:</b>
<pre>backup finished late</pre>

<a href="${DETAILS_URL}">View on Lookout</a>`;

/** The plain message without its "Last ping body" block. */
export function withoutBody(message: string): string {
  return message.replace(/\n\n(Last ping body:|<b>Last ping body:<\/b>)\n[^\n]*/, '');
}

/** Outbound HTTP that may reach the 127.0.0.1 stand-ins (INTEGRATIONS_ALLOW_PRIVATE_IPS=true). */
export function testHttp(): OutboundHttp {
  return new OutboundHttp({ allowPrivate: true, timeoutMs: 5000 });
}

/** Outbound HTTP with the production address policy: the stand-ins count as private. */
export function guardedHttp(): OutboundHttp {
  return new OutboundHttp({ timeoutMs: 5000 });
}

export function testEnv(
  http: OutboundHttp,
  settings: Record<string, string | undefined> = {},
  extra: Partial<SendEnvironment> = {},
): SendEnvironment {
  return { http, settings, signal: new AbortController().signal, ...extra };
}

/** Asserts that the promise fails with exactly this TransportError. */
export async function expectTransportError(promise: Promise<unknown>, message: string, permanent = false): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  expect({ message: (error as TransportError).message, permanent: (error as TransportError).permanent }).toEqual({
    message,
    permanent,
  });
}

export interface StandInContext {
  /** The running stand-in (set in beforeAll). */
  server: StandIn;
  /** Outbound HTTP allowed to reach it. */
  http: OutboundHttp;
  /** A send environment with these settings. */
  env(settings?: Record<string, string | undefined>, extra?: Partial<SendEnvironment>): SendEnvironment;
}

/** Starts a stand-in for the test file, resets it before each test and stops it at the end. */
export function useStandIn(options: { reply?: StandInResponder } = {}): StandInContext {
  const context: StandInContext = {
    server: undefined as unknown as StandIn,
    http: testHttp(),
    env: (settings = {}, extra = {}) => testEnv(context.http, settings, extra),
  };
  beforeAll(async () => {
    context.server = await startStandIn(options);
  });
  afterAll(async () => {
    await context.server?.close();
    await context.http.close();
  });
  beforeEach(() => context.server.reset());
  return context;
}
