// Status badges (spec §4): what a badge says about a set of checks, how it is drawn, and the
// signed URLs that make a project's badges public without revealing anything else.
import crypto from 'node:crypto';
import type { CheckStatus } from './check-status.js';

export type BadgeStatus = 'up' | 'late' | 'down';
export const BADGE_FORMATS = ['svg', 'json', 'shields'] as const;
export type BadgeFormat = (typeof BADGE_FORMATS)[number];

export function isBadgeFormat(value: string): value is BadgeFormat {
  return (BADGE_FORMATS as readonly string[]).includes(value);
}

/** The `json` badge: the status and the counters behind it. */
export interface BadgeSummary {
  status: BadgeStatus;
  total: number;
  grace: number;
  down: number;
}

/**
 * Folds the (v2) statuses of the checks a badge covers into one: any down check makes it down;
 * otherwise a check in its grace period makes it late, but only on a 3-state badge. New, paused
 * and started checks count as up. No checks at all is up.
 */
export function summarizeBadge(statuses: Iterable<CheckStatus>, withLate: boolean): BadgeSummary {
  const summary: BadgeSummary = { status: 'up', total: 0, grace: 0, down: 0 };
  for (const status of statuses) {
    summary.total += 1;
    if (status === 'down') {
      summary.down += 1;
      summary.status = 'down';
    } else if (status === 'grace') {
      summary.grace += 1;
      if (withLate && summary.status === 'up') summary.status = 'late';
    }
  }
  return summary;
}

// ---- drawing ----

// Approximate Verdana 11px advance widths, so that the label fits without measuring text.
const CHAR_WIDTHS: Readonly<Record<string, number>> = {
  ...widths('ijlI', 3),
  ...widths('frJ-', 4),
  ...widths('t', 5),
  ...widths('cesx1FLP_', 6),
  ...widths('abdghknopquvyz023456789BEKRSTXYZ', 7),
  ...widths('ACDHNUV', 8),
  ...widths('wGOQ', 9),
  ...widths('mM', 10),
  ...widths('W', 11),
};
const DEFAULT_CHAR_WIDTH = 7;

function widths(chars: string, width: number): Record<string, number> {
  return Object.fromEntries([...chars].map((c) => [c, width]));
}

/** Width in pixels of a text in the badge font; characters outside the table count 7. */
export function textWidth(text: string): number {
  let total = 0;
  for (const char of text) total += CHAR_WIDTHS[char] ?? DEFAULT_CHAR_WIDTH;
  return total;
}

export const BADGE_COLORS: Readonly<Record<BadgeStatus, string>> = { up: '#4c1', late: '#fe7d37', down: '#e05d44' };
const LABEL_COLOR = '#555';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}

/** Half-pixel text positions are written with one decimal, whole ones as `n.0`. */
function coordinate(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** A shields.io-style badge, 20 px tall: the label on grey, the status on its colour. */
export function badgeSvg(label: string, status: BadgeStatus): string {
  const labelWidth = textWidth(label) + 10;
  const statusWidth = textWidth(status) + 10;
  const width = labelWidth + statusWidth;
  const labelX = coordinate(labelWidth / 2);
  const statusX = coordinate(labelWidth + statusWidth / 2);
  const text = escapeXml(label);
  // Each text is drawn twice: a faint copy one pixel lower is its shadow.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${text}: ${status}">
  <title>${text}: ${status}</title>
  <linearGradient id="smooth" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <mask id="round">
    <rect width="${width}" height="20" rx="3" fill="#fff"/>
  </mask>
  <g mask="url(#round)">
    <rect width="${labelWidth}" height="20" fill="${LABEL_COLOR}"/>
    <rect x="${labelWidth}" width="${statusWidth}" height="20" fill="${BADGE_COLORS[status]}"/>
    <rect width="${width}" height="20" fill="url(#smooth)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">
    <text x="${labelX}" y="15" fill="#010101" fill-opacity=".3">${text}</text>
    <text x="${labelX}" y="14">${text}</text>
    <text x="${statusX}" y="15" fill="#010101" fill-opacity=".3">${status}</text>
    <text x="${statusX}" y="14">${status}</text>
  </g>
</svg>
`;
}

const SHIELDS_COLORS: Readonly<Record<BadgeStatus, string>> = { up: 'success', late: 'important', down: 'critical' };

/** The shields.io endpoint format (https://shields.io/badges/endpoint-badge). */
export function shieldsJson(label: string, status: BadgeStatus): Record<string, unknown> {
  return { schemaVersion: 1, label, message: status, color: SHIELDS_COLORS[status] };
}

// ---- signed URLs ----

/** The tag of the badge that covers every check of a project. */
export const ALL_CHECKS_TAG = '*';
const SIGNATURE_LENGTH = 8;
const TWO_STATE_SUFFIX = '-2';

/**
 * Django's base64_hmac(badge_key, tag, SECRET_KEY) cut to 8 characters: HMAC-SHA1 of the tag
 * under SHA1(badge_key + secret), url-safe base64 without padding. Existing Healthchecks badge
 * URLs keep working when the same SECRET_KEY is configured.
 */
export function badgeSignature(badgeKey: string, tag: string, secretKey: string): string {
  const key = crypto.createHash('sha1').update(badgeKey + secretKey).digest();
  return crypto.createHmac('sha1', key).update(tag).digest('base64url').slice(0, SIGNATURE_LENGTH);
}

/** Only the first 8 characters of a presented signature count; they are compared in constant time. */
export function isValidBadgeSignature(badgeKey: string, tag: string, signature: string, secretKey: string): boolean {
  const presented = Buffer.from(signature.slice(0, SIGNATURE_LENGTH));
  const expected = Buffer.from(badgeSignature(badgeKey, tag, secretKey));
  return presented.length === expected.length && crypto.timingSafeEqual(presented, expected);
}

/** A signature of exactly 8 characters plus `-2` asks for the 2-state badge (no "late"). */
export function signatureWantsLate(signature: string): boolean {
  return !(signature.length === SIGNATURE_LENGTH + TWO_STATE_SUFFIX.length && signature.endsWith(TWO_STATE_SUFFIX));
}

// Python's urllib.parse.quote(safe=""): only these bytes stay as they are.
const UNRESERVED = /^[A-Za-z0-9_.~-]$/;

function quote(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A tag as it appears in a badge URL: percent-encoded, then its `%` encoded once more, as
 * Healthchecks' URL reversal does (`db@dc1` → `db%2540dc1`). The badge route decodes it twice.
 */
export function tagPathSegment(tag: string): string {
  return quote(tag).replace(/%/g, '%25');
}

export function badgeUrl(badgeKey: string, tag: string, fmt: BadgeFormat, withLate: boolean, secretKey: string, siteRoot: string): string {
  const signature = badgeSignature(badgeKey, tag, secretKey) + (withLate ? '' : TWO_STATE_SUFFIX);
  const base = `${siteRoot}/badge/${badgeKey}/${signature}`;
  return tag === ALL_CHECKS_TAG ? `${base}.${fmt}` : `${base}/${tagPathSegment(tag)}.${fmt}`;
}

export interface BadgeUrls {
  svg: string;
  svg3: string;
  json: string;
  json3: string;
  shields: string;
  shields3: string;
}

/** The six URLs of one tag's badges (API `GET badges/`, spec §3.16); `*` is the all-checks badge. */
export function badgeUrls(project: { badge_key: string }, tag: string, secretKey: string, siteRoot: string): BadgeUrls {
  const url = (fmt: BadgeFormat, withLate: boolean) => badgeUrl(project.badge_key, tag, fmt, withLate, secretKey, siteRoot);
  return {
    svg: url('svg', false),
    svg3: url('svg', true),
    json: url('json', false),
    json3: url('json', true),
    shields: url('shields', false),
    shields3: url('shields', true),
  };
}
