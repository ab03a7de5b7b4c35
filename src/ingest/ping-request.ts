// A ping as it reaches ingestion, after the HTTP layer has read and bounded it.
import type { PingRoute } from '../core/ping-url.js';

export interface RunMetadata {
  /** Seconds, as reported by the job. */
  runtime: number | null;
  /** Peak memory in bytes, as reported by the job. */
  memory: number | null;
  exitCode: number | null;
  failureMessage: string | null;
}

export interface PingRequest {
  route: PingRoute;
  /** `?create=1` on a slug URL: create the check when it does not exist. */
  create: boolean;
  /** Normalised run id; `ridInvalid` when one was given that is not a UUID. */
  rid: string | null;
  ridInvalid: boolean;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  ua: string;
  /** The body, already cut to the configured limit. */
  body: Buffer;
  meta: RunMetadata;
  receivedAt: number;
}

export type PingOutcome =
  | { status: 200; body: 'OK' }
  | { status: 201; body: 'Created' }
  | { status: 400; body: 'invalid url format' | 'invalid uuid format' }
  | { status: 404; body: 'not found' }
  | { status: 409; body: 'ambiguous slug' }
  | { status: 503; body: 'service unavailable' };

export const OUTCOME = {
  ok: { status: 200, body: 'OK' },
  created: { status: 201, body: 'Created' },
  badUrl: { status: 400, body: 'invalid url format' },
  badRid: { status: 400, body: 'invalid uuid format' },
  notFound: { status: 404, body: 'not found' },
  ambiguous: { status: 409, body: 'ambiguous slug' },
  /** The ping could not be stored (database unreachable, or a write it alone makes fail). */
  unavailable: { status: 503, body: 'service unavailable' },
} as const satisfies Record<string, PingOutcome>;

export const MAX_EXIT_STATUS = 255;
