// The words every integration uses to describe an alert, kept in one place so that an email, a Slack
// message and an SMS say the same thing the same way. Integrations pick pieces from here and lay them
// out in their own format (see markup.ts for plain text, Markdown and HTML).
import type { AlertContext, AlertReason } from './types.js';

/** One labelled piece of information about the check. */
export interface Fact {
  label: string;
  value: string;
  /** Free text that may be long (shown on its own line or full-width). */
  long?: boolean;
  /** A literal, shown in a code font (schedules). */
  code?: boolean;
}

/** The check's name, or its UUID when it has none. */
export function displayName(alert: AlertContext): string {
  return alert.check.name || alert.check.code;
}

export function statusWord(alert: AlertContext): 'UP' | 'DOWN' {
  return alert.event.status === 'up' ? 'UP' : 'DOWN';
}

/** `“Nightly backup” is DOWN` — the title of every message. */
export function headline(alert: AlertContext): string {
  return `“${displayName(alert)}” is ${statusWord(alert)}`;
}

/** `DOWN | Nightly backup` — the email subject (Healthchecks' format). */
export function subjectLine(alert: AlertContext): string {
  return `${statusWord(alert)} | ${displayName(alert)}`;
}

const REASONS: Record<Exclude<AlertReason, ''>, string> = {
  timeout: 'No ping arrived in time.',
  fail: 'The job reported a failure.',
  stuck: 'The job started but did not finish in time.',
  long: 'The job ran longer than its maximum duration.',
  short: 'The job finished sooner than expected.',
  reminder: 'Reminder: the check is still down.',
  flapping: 'The check is flapping: it changed state several times in a short while.',
};

/** Why the check changed state, as a sentence; null when there is nothing to add. */
export function reasonSentence(alert: AlertContext): string | null {
  const { reason } = alert.event;
  if (reason === '') return null;
  const exit = alert.lastPing?.exitStatus;
  if (reason === 'fail' && exit !== null && exit !== undefined && exit !== 0) {
    return `The job reported a failure (exit status ${exit}).`;
  }
  return REASONS[reason];
}

/** "The downtime lasted 2 hours 5 minutes." for recoveries whose downtime is known. */
export function downtimeSentence(alert: AlertContext): string | null {
  const { status, downtimeMs } = alert.event;
  if (status !== 'up' || downtimeMs === null) return null;
  return `The downtime lasted ${formatDuration(Math.round(downtimeMs / 1000))}.`;
}

/** The reason and the downtime, whichever apply, in one line. */
export function summarySentences(alert: AlertContext): string[] {
  return [reasonSentence(alert), downtimeSentence(alert)].filter((s): s is string => s !== null);
}

const UNITS: [string, number][] = [
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** `1 day 2 hours`, `30 seconds`; every non-zero unit from weeks down to seconds. */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
  }
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** `2025-01-02 03:04:05 UTC` */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2025-01-02T03:04:05+00:00`: Python's isoformat() of the UTC time without microseconds ($NOW). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

const PING_KINDS: Record<string, string> = { start: 'Start', fail: 'Failure', ign: 'Ignored', log: 'Log' };

/** `Success, 2025-01-02 03:04:05 UTC`, `Failure (exit status 3), …` or `Never`. */
export function lastPingText(alert: AlertContext): string {
  const at = alert.check.lastPing;
  if (at === null) return 'Never';
  const ping = alert.lastPing;
  if (ping === null) return formatInstant(at);
  let kind = ping.kind === null ? 'Success' : (PING_KINDS[ping.kind] ?? ping.kind);
  if (ping.exitStatus !== null && ping.exitStatus !== 0) kind += ` (exit status ${ping.exitStatus})`;
  return `${kind}, ${formatInstant(at)}`;
}

export function tagList(alert: AlertContext): string[] {
  return alert.check.tags.split(' ').filter((t) => t !== '');
}

/** What every message shows about the check, in this order. */
export function checkFacts(alert: AlertContext): Fact[] {
  const { check, project } = alert;
  const facts: Fact[] = [];
  if (check.description) facts.push({ label: 'Description', value: check.description, long: true });
  if (project.name) facts.push({ label: 'Project', value: project.name });
  const tags = tagList(alert);
  if (tags.length > 0) facts.push({ label: 'Tags', value: tags.join(' ') });
  if (check.kind === 'simple') {
    facts.push({ label: 'Period', value: formatDuration(check.timeout) });
  } else {
    facts.push({ label: 'Schedule', value: check.schedule, code: true });
    facts.push({ label: 'Time zone', value: check.tz });
  }
  facts.push({ label: 'Grace time', value: formatDuration(check.grace) });
  facts.push({ label: 'Last ping', value: lastPingText(alert) });
  facts.push({ label: 'Total pings', value: String(check.nPings) });
  return facts;
}

/** The last ping's body, cut to `maxLength` characters; null when there is none. */
export function lastPingBody(alert: AlertContext, maxLength = 1000): string | null {
  const body = alert.lastPing?.body;
  if (!body) return null;
  return body.length > maxLength ? `${body.slice(0, maxLength)}\n[truncated]` : body;
}

/** `View on Lookout` — the label of the link to the check. */
export function viewLabel(alert: AlertContext): string {
  return `View on ${alert.site.name}`;
}

/** One short line for SMS and push titles: `Lookout: “Nightly backup” is DOWN. No ping arrived in time.` */
export function shortText(alert: AlertContext): string {
  return [`${alert.site.name}: ${headline(alert)}.`, ...summarySentences(alert)].join(' ');
}
