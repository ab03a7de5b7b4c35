// Deciding what a ping means: the URL says one thing, but a POST-only check ignores other methods
// and keyword filters on the body override the URL (Healthchecks' rules, §1.2 steps 7–9).
import type { UrlAction } from './ping-url.js';

export type PingAction = UrlAction | 'ign';

export interface KeywordFilters {
  methods: string;
  filterHttpBody: boolean;
  filterDefaultFail: boolean;
  startKw: string;
  successKw: string;
  failureKw: string;
}

/** Comma-separated keywords, each trimmed, empty ones dropped. */
export function splitKeywords(list: string): string[] {
  return list
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

function containsAny(text: string, keywords: string): boolean {
  return splitKeywords(keywords).some((k) => text.includes(k));
}

/** Keyword classification of a text; used for HTTP bodies and, later, email subjects and bodies. */
export function classifyText(text: string, filters: KeywordFilters): PingAction {
  if (containsAny(text, filters.failureKw)) return 'fail';
  if (containsAny(text, filters.successKw)) return 'success';
  if (containsAny(text, filters.startKw)) return 'start';
  return filters.filterDefaultFail ? 'fail' : 'ign';
}

// A body that is not valid UTF-8 is matched on its lossy decoding rather than refused.
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });

export function classifyHttpPing(
  urlAction: UrlAction,
  method: string,
  body: Uint8Array,
  filters: KeywordFilters,
): PingAction {
  if (filters.methods === 'POST' && method !== 'POST') return 'ign';
  if (filters.filterHttpBody) return classifyText(lossyUtf8.decode(body), filters);
  return urlAction;
}

/**
 * The action a URL asks for, once an `exit_code` field is taken into account: a non-zero exit
 * code sent to the success URL reports a failure, as the `/<exit-status>` suffix does.
 */
export function urlActionWithExitCode(action: UrlAction, urlExitStatus: number | null, exitCodeField: number | null): UrlAction {
  if (action === 'success' && urlExitStatus === null && exitCodeField !== null && exitCodeField > 0) return 'fail';
  return action;
}
