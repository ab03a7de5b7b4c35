// Which check and which action a ping URL names. Routing is exact, in the order Healthchecks
// matches its URL patterns, so that odd URLs answer exactly as existing clients expect.
import { PING_CODE, SLUG_SEGMENT, isUuid } from './identifiers.js';

export type UrlAction = 'success' | 'start' | 'fail' | 'log';

export type PingTarget =
  | { by: 'uuid'; code: string }
  | { by: 'slug'; pingKey: string; slug: string }
  | { by: 'ping-code'; pingCode: string };

export interface PingRoute {
  target: PingTarget;
  action: UrlAction;
  /** From a `/<digits>` suffix; may be out of range, which is reported only after the lookup. */
  exitStatus: number | null;
}

/** A route that exists but is refused before any lookup (uppercase letters in a slug). */
export interface RejectedRoute {
  rejected: 'invalid url format';
}

const ACTIONS: ReadonlySet<string> = new Set(['start', 'fail', 'log']);
// Exit statuses above this are refused; longer digit strings need not be parsed exactly.
const MAX_EXIT_DIGITS = 4;

function parseSuffix(segment: string): { action: UrlAction; exitStatus: number | null } | null {
  if (ACTIONS.has(segment)) return { action: segment as UrlAction, exitStatus: null };
  if (/^\d+$/.test(segment)) {
    const digits = segment.replace(/^0+(?=\d)/, '');
    const exitStatus = digits.length > MAX_EXIT_DIGITS ? Number.MAX_SAFE_INTEGER : Number(digits);
    return { action: exitStatus > 0 ? 'fail' : 'success', exitStatus };
  }
  return null;
}

/**
 * Parses the path part of a ping URL (without the query string). Returns null when no route
 * matches, which the caller answers with 404.
 */
export function parsePingPath(pathname: string): PingRoute | RejectedRoute | null {
  if (!pathname.startsWith('/ping/')) return null;
  const rest = pathname.slice('/ping/'.length);
  const parts = rest.split('/');
  const first = parts[0] ?? '';

  if (isUuid(first)) {
    // `/ping/<uuid>` and `/ping/<uuid>/` are success pings.
    if (parts.length === 1 || (parts.length === 2 && parts[1] === '')) {
      return { target: { by: 'uuid', code: first }, action: 'success', exitStatus: null };
    }
    if (parts.length === 2) {
      const suffix = parseSuffix(parts[1] ?? '');
      if (suffix) return { target: { by: 'uuid', code: first }, ...suffix };
    }
    // Anything else after a UUID falls through to the slug routes, with the UUID as ping key.
  }

  if (PING_CODE.test(first)) {
    if (parts.length === 1) return { target: { by: 'ping-code', pingCode: first }, action: 'success', exitStatus: null };
    if (parts.length === 2) {
      const suffix = parseSuffix(parts[1] ?? '');
      if (suffix) return { target: { by: 'ping-code', pingCode: first }, ...suffix };
    }
    return null;
  }

  if (parts.length < 2 || parts.length > 3) return null;
  const [pingKey = '', slug = '', suffixSegment] = parts;
  if (!SLUG_SEGMENT.test(pingKey) || !SLUG_SEGMENT.test(slug)) return null;
  let suffix: { action: UrlAction; exitStatus: number | null } = { action: 'success', exitStatus: null };
  if (suffixSegment !== undefined) {
    const parsed = parseSuffix(suffixSegment);
    if (!parsed) return null;
    suffix = parsed;
  }
  if (/[A-Z]/.test(slug)) return { rejected: 'invalid url format' };
  return { target: { by: 'slug', pingKey, slug }, ...suffix };
}
