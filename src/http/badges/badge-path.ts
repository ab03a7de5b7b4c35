// The badge URL forms, matched like Healthchecks' URL patterns: on the path decoded once, with a
// tag segment that is then decoded a second time (spec §4.1).
import { ALL_CHECKS_TAG } from '../../core/badge.js';

export type BadgeRequest =
  | { kind: 'tag'; badgeKey: string; signature: string; tag: string; format: string }
  | { kind: 'check'; states: number; badgeKey: string; format: string };

const SLUG = '[-a-zA-Z0-9_]+';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Python's \w is Unicode-aware: letters, digits and the underscore of any script.
const QUOTED = '[\\p{L}\\p{N}_%~.-]+';

const TAG_BADGE = new RegExp(`^/badge/(${SLUG})/(${SLUG})/(${QUOTED})\\.(${SLUG})$`, 'u');
const ALL_CHECKS_BADGE = new RegExp(`^/badge/(${SLUG})/(${SLUG})\\.(${SLUG})$`);
const CHECK_BADGE = new RegExp(`^/b/([0-9]+)/(${UUID})\\.(${SLUG})$`);

/** Python's urllib.parse.unquote: %XX runs become UTF-8 text (invalid bytes → U+FFFD), the rest stays. */
export function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** The badge a request path (without its query) asks for, or null when no badge route matches. */
export function parseBadgePath(rawPath: string): BadgeRequest | null {
  const path = unquote(rawPath);
  let match = TAG_BADGE.exec(path);
  if (match) {
    const [, badgeKey = '', signature = '', tag = '', format = ''] = match;
    return { kind: 'tag', badgeKey, signature, tag: unquote(tag), format };
  }
  match = ALL_CHECKS_BADGE.exec(path);
  if (match) {
    const [, badgeKey = '', signature = '', format = ''] = match;
    return { kind: 'tag', badgeKey, signature, tag: ALL_CHECKS_TAG, format };
  }
  match = CHECK_BADGE.exec(path);
  if (match) {
    const [, states = '', badgeKey = '', format = ''] = match;
    return { kind: 'check', states: Number(states), badgeKey, format };
  }
  return null;
}
