// Outbound HTTP for integrations. Every address a request connects to is checked after DNS
// resolution and on every redirect hop, so a user's webhook URL cannot reach the loopback interface,
// the private network or a metadata service unless the operator allows it
// (INTEGRATIONS_ALLOW_PRIVATE_IPS). Failures become TransportErrors worded as Healthchecks words them.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
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
  /**
   * Upper bound for one request including redirects when the caller gives no signal (a caller's
   * signal carries its own deadline: a delivery attempt's). Either way it bounds each wait for a
   * connection, for the answer's headers and between pieces of its body.
   */
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

function transportErrorFor(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const codes = errorCodes(error);
  if (codes.includes('LOOKOUT_PRIVATE_ADDRESS')) return new TransportError(PRIVATE_ADDRESS_MESSAGE);
  if (codes.some((c) => TIMEOUT_CODES.includes(c))) return new TransportError('Connection timed out');
  if (codes.some((c) => RESOLVE_CODES.includes(c))) return new TransportError('Could not resolve host');
  if (codes.some((c) => TLS_CODE.test(c))) return new TransportError('TLS handshake failed');
  if (codes.includes('UND_ERR_INVALID_ARG')) return new TransportError(`Invalid request: ${(error as Error).message}`);
  return new TransportError('Connection failed');
}

/** Targets parsed lately: a burst sends to the same few URLs thousands of times. Never mutated. */
const parsedTargets = new Map<string, URL>();
const PARSED_TARGETS_KEPT = 1000;

function parseTarget(url: string | URL): URL {
  const known = typeof url === 'string' ? parsedTargets.get(url) : undefined;
  if (known) return known;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportError('Invalid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransportError('Only http and https URLs are supported');
  }
  if (typeof url === 'string') {
    if (parsedTargets.size >= PARSED_TARGETS_KEPT) parsedTargets.clear();
    parsedTargets.set(url, parsed);
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

/** Response headers as undici gives them: lower-case names, repeated ones as arrays. */
type RawHeaders = Record<string, string | string[] | undefined>;

function flattenHeaders(headers: RawHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Ends a request early: on the caller's signal, or, for a caller without one, at the client's own
 * time limit. Cheaper than combining abort signals per request (AbortSignal.any and
 * AbortSignal.timeout cost more than a whole request to a nearby server), and the abort goes
 * straight to the hop in flight.
 */
class RequestCancel {
  reason: TransportError | null = null;
  private hop: HopHandler | null = null;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal === undefined) this.timer = setTimeout(() => this.cancel(), timeoutMs);
    else if (signal.aborted) this.cancel();
    else watchSignal(signal, this);
  }

  /** The hop in flight, ended at once when the request was cancelled already. */
  attach(hop: HopHandler): void {
    this.hop = hop;
    if (this.reason) hop.abort(this.reason);
  }

  done(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.signal !== undefined) cancelsBySignal.get(this.signal)?.delete(this);
  }

  cancel(): void {
    if (this.reason) return;
    this.reason = new TransportError('Connection timed out');
    this.hop?.abort(this.reason);
  }
}

/**
 * The requests waiting on each caller's signal, behind a single listener: delivery attempts that
 * start together share one signal, and an EventTarget removes a listener by searching its list.
 */
const cancelsBySignal = new WeakMap<AbortSignal, Set<RequestCancel>>();

function watchSignal(signal: AbortSignal, cancel: RequestCancel): void {
  let cancels = cancelsBySignal.get(signal);
  if (cancels === undefined) {
    const watched = new Set<RequestCancel>();
    cancelsBySignal.set(signal, watched);
    signal.addEventListener('abort', () => watched.forEach((c) => c.cancel()), { once: true });
    cancels = watched;
  }
  cancels.add(cancel);
}

interface HopRequest {
  target: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  maxResponseBytes: number;
}

/** An answer as OutboundResponse shows it; its headers are flattened only when someone reads them. */
class Answer implements OutboundResponse {
  private flatHeaders: Record<string, string> | null = null;

  constructor(
    readonly status: number,
    private readonly rawHeaders: RawHeaders,
    readonly text: string,
  ) {}

  get headers(): Record<string, string> {
    return (this.flatHeaders ??= flattenHeaders(this.rawHeaders));
  }

  /** Where a redirect points, if it says. */
  location(): string | undefined {
    const location = this.rawHeaders.location;
    return typeof location === 'string' ? location : undefined;
  }
}

const NO_HEADERS: RawHeaders = {};

/**
 * One request and its answer through undici's dispatcher interface, with the body collected in
 * memory up to a limit (the rest is not read: the connection is dropped). One object per request
 * rather than a set of closures: a burst sends thousands a second.
 */
class HopHandler implements Dispatcher.DispatchHandler {
  private settled = false;
  private status = 0;
  private headers = NO_HEADERS;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private controller: Dispatcher.DispatchController | null = null;

  constructor(
    private readonly maxResponseBytes: number,
    private readonly cancel: RequestCancel,
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** Ends the request now; one still waiting for a connection fails at once, and undici drops it when its turn comes. */
  abort(reason: Error): void {
    this.finish(reason);
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancel.reason) controller.abort(this.cancel.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: RawHeaders): void {
    // 1xx answers are informational: the real one follows.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.chunks.push(chunk.subarray(0, this.maxResponseBytes - this.size));
    this.size += chunk.length;
    if (this.size >= this.maxResponseBytes) {
      this.finish(null);
      controller.abort(new Error('response body limit reached'));
    }
  }

  onResponseEnd(): void {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(error);
  }

  private finish(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (error !== null) return this.reject(error);
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.resolve(new Answer(this.status, this.headers, body.toString('utf8')));
  }
}

function dispatchHop(dispatcher: Dispatcher, hop: HopRequest, cancel: RequestCancel): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const handler = new HopHandler(hop.maxResponseBytes, cancel, resolve, reject);
    cancel.attach(handler);
    try {
      dispatcher.dispatch(
        {
          origin: hop.target.origin,
          path: `${hop.target.pathname}${hop.target.search}`,
          method: hop.method,
          headers: hop.headers,
          body: hop.body ?? null,
        },
        handler,
      );
    } catch (error) {
      reject(error);
    }
  });
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
  request(method: HttpMethod, url: string | URL, options: OutboundRequestOptions = {}): Promise<OutboundResponse> {
    return this.requestUntil(options.signal, method, url, options);
  }

  /** The same, ended by `signal` (a delivery attempt's) in place of `options.signal`. */
  async requestUntil(
    signal: AbortSignal | undefined,
    method: HttpMethod,
    url: string | URL,
    options: Omit<OutboundRequestOptions, 'signal'>,
  ): Promise<OutboundResponse> {
    const guarded = !this.allowPrivate && !options.trusted;
    const encoded = encodeBody(options);
    let headers: Record<string, string> = { 'user-agent': this.userAgent };
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    if (encoded.contentType && !headers['content-type']) headers['content-type'] = encoded.contentType;
    let body = encoded.body;
    let currentMethod: HttpMethod = method;
    let target = parseTarget(url);
    const cancel = new RequestCancel(this.timeoutMs, signal);
    try {
      for (let hop = 0; ; hop++) {
        if (guarded) this.assertAllowedLiteral(target);
        let response: Answer;
        try {
          response = await dispatchHop(
            this.agent(guarded),
            { target, method: currentMethod, headers, body, maxResponseBytes: this.maxResponseBytes },
            cancel,
          );
        } catch (error) {
          throw cancel.reason ?? transportErrorFor(error);
        }
        const location = REDIRECT_STATUSES.has(response.status) ? response.location() : undefined;
        if (location !== undefined) {
          if (hop >= this.maxRedirects) throw new TransportError('Too many redirects');
          const next = parseTarget(new URL(location, target));
          const becomesGet = response.status === 303 ? currentMethod !== 'HEAD' : response.status <= 302 && currentMethod === 'POST';
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
        return response;
      }
    } finally {
      cancel.done();
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
    const agent = guarded ? this.guardedAgent : this.openAgent;
    if (agent) return agent;
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
  const response = await env.http.requestUntil(env.signal, method, url, options);
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
