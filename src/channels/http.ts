// Outbound HTTP for integrations. Every address a request connects to is checked after DNS
// resolution and on every redirect hop, so a user's webhook URL cannot reach the loopback interface,
// the private network or a metadata service unless the operator allows it
// (INTEGRATIONS_ALLOW_PRIVATE_IPS). Failures become TransportErrors worded as Healthchecks words them.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';
import type { Dispatcher } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { isPublicAddress, parseAddress } from './address-policy.js';
import { TransportError } from './types.js';

export const PRIVATE_ADDRESS_MESSAGE = 'Connections to private IP addresses are not allowed';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

export interface OutboundRequestOptions {
  headers?: Record<string, string>;
  /** A raw body, sent as is. */
  body?: string | Uint8Array;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number>;
  /** Aborting it (the delivery attempt's timeout) fails the request with "Connection timed out". */
  signal?: AbortSignal;
  /**
   * The URL's host comes from the operator's settings (TELEGRAM_API_URL, MATRIX_HOMESERVER…), not
   * from a user's channel, so it may be a private address.
   */
  trusted?: boolean;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body decoded as UTF-8, cut at `maxResponseBytes`. */
  text: string;
}

export interface OutboundHttpOptions {
  /** Allow private, loopback and link-local targets (INTEGRATIONS_ALLOW_PRIVATE_IPS=true). */
  allowPrivate?: boolean;
  /** Which resolved addresses are allowed when allowPrivate is off; tests inject their own. */
  addressPolicy?: AddressPolicy;
  /** Upper bound for one request including redirects, on top of the caller's signal. */
  timeoutMs?: number;
  userAgent?: string;
  maxRedirects?: number;
  maxResponseBytes?: number;
}

/** Raised from inside the connection's DNS lookup; turned into a TransportError by request(). */
class PrivateAddressError extends Error {
  readonly code = 'LOOKOUT_PRIVATE_ADDRESS';
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SUCCESS_STATUSES = new Set([200, 201, 202, 204]);

export function isSuccessStatus(status: number): boolean {
  return SUCCESS_STATUSES.has(status);
}

/** What an integration knows about a failed response beyond its status code. */
export interface FailureDetail {
  /** The service's own error text, quoted after the status code. */
  remoteMessage?: string | undefined;
  /** The failure will not go away by retrying (revoked token, deleted webhook…). */
  permanent?: boolean;
  /** Replaces the whole message when the service's answer says it all ("Invalid phone number"). */
  message?: string;
}

/**
 * Throws unless the status is 200/201/202/204, as
 * `Received status code <N>[ with a message: "<remote message>"]`.
 */
export function ensureSuccess(
  response: OutboundResponse,
  explain?: (response: OutboundResponse) => FailureDetail | undefined,
): void {
  if (isSuccessStatus(response.status)) return;
  const detail = explain?.(response) ?? {};
  const base = `Received status code ${response.status}`;
  const message =
    detail.message ?? (detail.remoteMessage ? `${base} with a message: "${detail.remoteMessage}"` : base);
  throw new TransportError(message, detail.permanent ?? false);
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function parseJsonBody(response: OutboundResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    return undefined;
  }
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.find((a) => !policy(a.address));
      if (refused) return callback(new PrivateAddressError(PRIVATE_ADDRESS_MESSAGE), '', 4);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

const RESOLVE_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'];
const TIMEOUT_CODES = ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'];
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function transportErrorFor(error: unknown, signal: AbortSignal): TransportError {
  if (error instanceof TransportError) return error;
  const codes = errorCodes(error);
  if (codes.includes('LOOKOUT_PRIVATE_ADDRESS')) return new TransportError(PRIVATE_ADDRESS_MESSAGE);
  if (signal.aborted || codes.some((c) => TIMEOUT_CODES.includes(c))) return new TransportError('Connection timed out');
  if (codes.some((c) => RESOLVE_CODES.includes(c))) return new TransportError('Could not resolve host');
  if (codes.some((c) => TLS_CODE.test(c))) return new TransportError('TLS handshake failed');
  if (codes.includes('UND_ERR_INVALID_ARG')) return new TransportError(`Invalid request: ${(error as Error).message}`);
  return new TransportError('Connection failed');
}

function parseTarget(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('Invalid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransportError('Only http and https URLs are supported');
  }
  return parsed;
}

function encodeBody(options: OutboundRequestOptions): { body?: string | Uint8Array; contentType?: string } {
  if (options.json !== undefined) return { body: JSON.stringify(options.json), contentType: 'application/json' };
  if (options.form !== undefined) {
    const entries = Object.entries(options.form).map(([k, v]): [string, string] => [k, String(v)]);
    return { body: new URLSearchParams(entries).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return options.body === undefined ? {} : { body: options.body };
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    chunks.push(buffer.subarray(0, limit - size));
    size += buffer.length;
    if (size >= limit) break; // leaving the loop destroys the rest of the stream
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class OutboundHttp {
  private readonly allowPrivate: boolean;
  private readonly policy: AddressPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly maxRedirects: number;
  private readonly maxResponseBytes: number;
  private guardedAgent: Agent | null = null;
  private openAgent: Agent | null = null;

  constructor(options: OutboundHttpOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.policy = options.addressPolicy ?? isPublicAddress;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'Lookout';
    this.maxRedirects = options.maxRedirects ?? 3;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  }

  /**
   * Sends a request, following up to `maxRedirects` redirects by hand so that each hop is checked.
   * Network failures throw TransportError; any HTTP status is returned (see ensureSuccess).
   */
  async request(method: HttpMethod, url: string | URL, options: OutboundRequestOptions = {}): Promise<OutboundResponse> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const guarded = !this.allowPrivate && !options.trusted;
    const encoded = encodeBody(options);
    let headers: Record<string, string> = { 'user-agent': this.userAgent };
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    if (encoded.contentType && !headers['content-type']) headers['content-type'] = encoded.contentType;
    let body = encoded.body;
    let currentMethod: HttpMethod = method;
    let target = parseTarget(url);

    for (let hop = 0; ; hop++) {
      if (guarded) this.assertAllowedLiteral(target);
      let response: Dispatcher.ResponseData;
      try {
        response = await undiciRequest(target, {
          method: currentMethod,
          headers,
          body: body ?? null,
          signal,
          dispatcher: this.agent(guarded),
        });
      } catch (error) {
        throw transportErrorFor(error, signal);
      }
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
        await response.body.dump().catch(() => undefined);
        if (hop >= this.maxRedirects) throw new TransportError('Too many redirects');
        const next = parseTarget(new URL(location, target));
        const becomesGet =
          response.statusCode === 303 ? currentMethod !== 'HEAD' : response.statusCode <= 302 && currentMethod === 'POST';
        if (becomesGet) {
          currentMethod = 'GET';
          body = undefined;
          const { 'content-type': _type, 'content-length': _length, ...rest } = headers;
          headers = rest;
        }
        if (next.origin !== target.origin) {
          // Credentials meant for one host are never handed to another.
          const { authorization: _auth, cookie: _cookie, ...rest } = headers;
          headers = rest;
        }
        target = next;
        continue;
      }
      try {
        const text = await readText(response.body, this.maxResponseBytes);
        return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
      } catch (error) {
        throw transportErrorFor(error, signal);
      }
    }
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await Promise.all([this.guardedAgent?.close(), this.openAgent?.close()]);
    this.guardedAgent = null;
    this.openAgent = null;
  }

  /** Hosts written as IP addresses skip DNS, so the lookup guard never sees them: check here. */
  private assertAllowedLiteral(target: URL): void {
    if (parseAddress(target.hostname) !== null && !this.policy(target.hostname)) {
      throw new TransportError(PRIVATE_ADDRESS_MESSAGE);
    }
  }

  private agent(guarded: boolean): Agent {
    const options = {
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: this.timeoutMs, ...(guarded ? { lookup: guardedLookup(this.policy) } : {}) },
    };
    if (guarded) return (this.guardedAgent ??= new Agent(options));
    return (this.openAgent ??= new Agent(options));
  }
}

/** The outbound client the environment asks for (INTEGRATIONS_ALLOW_PRIVATE_IPS). */
export function outboundHttpFromSettings(settings: Record<string, string | undefined>): OutboundHttp {
  return new OutboundHttp({ allowPrivate: settings.INTEGRATIONS_ALLOW_PRIVATE_IPS?.trim().toLowerCase() === 'true' });
}

/** A short plain-text answer body worth quoting in an error ("invalid_token"), or undefined. */
export function shortBody(response: OutboundResponse): string | undefined {
  const text = response.text.trim();
  return text !== '' && text.length <= 200 && !text.startsWith('<') ? text : undefined;
}

/**
 * One request on behalf of a send: uses the attempt's signal and throws a TransportError unless the
 * answer is a success (see ensureSuccess for `explain`).
 */
export async function deliver(
  env: { http: OutboundHttp; signal: AbortSignal },
  method: HttpMethod,
  url: string | URL,
  options: Omit<OutboundRequestOptions, 'signal'> = {},
  explain?: (response: OutboundResponse) => FailureDetail | undefined,
): Promise<OutboundResponse> {
  const response = await env.http.request(method, url, { ...options, signal: env.signal });
  ensureSuccess(response, explain);
  return response;
}

/** A string found at `path` in a JSON answer ({"error": {"message": "…"}}), or undefined. */
export function jsonText(response: OutboundResponse, ...path: string[]): string | undefined {
  let value = parseJsonBody(response);
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : undefined;
}
