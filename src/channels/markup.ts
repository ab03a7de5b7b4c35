// The standard alert message (text.ts) laid out as plain text, Markdown or HTML. Every integration
// that shows a free-form message uses one of these, so the layout is the same everywhere:
//
//   “Nightly backup” is DOWN.
//   No ping arrived in time.
//
//   Project: Backups
//   …
//   Last ping body: …
//
//   View on Lookout: https://…
import type { Fact } from './text.js';
import { checkFacts, headline, lastPingBody, summarySentences, viewLabel } from './text.js';
import type { AlertContext } from './types.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown special characters in user text (check names, tags) are shown literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()#+!|<>~])/g, '\\$1');
}

interface Layout {
  title(text: string): string;
  sentence(text: string): string;
  fact(fact: Fact): string;
  body(text: string): string;
  link(label: string, url: string): string;
  /** Joins the blocks (title, summary, facts, body, link). */
  join(blocks: string[][]): string;
}

function render(alert: AlertContext, layout: Layout, options: { body?: boolean }): string {
  const body = options.body === false ? null : lastPingBody(alert);
  const blocks = [
    [layout.title(`${headline(alert)}.`), ...summarySentences(alert).map((s) => layout.sentence(s))],
    checkFacts(alert).map((f) => layout.fact(f)),
    body === null ? [] : [layout.body(body)],
    [layout.link(viewLabel(alert), alert.check.detailsUrl)],
  ];
  return layout.join(blocks.filter((b) => b.length > 0));
}

const plainLayout: Layout = {
  title: (t) => t,
  sentence: (s) => s,
  fact: (f) => `${f.label}: ${f.value}`,
  body: (b) => `Last ping body:\n${b}`,
  link: (label, url) => `${label}: ${url}`,
  join: (blocks) => blocks.map((b) => b.join('\n')).join('\n\n'),
};

/** Fenced code that cannot be closed early by the text inside it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

const markdownLayout: Layout = {
  title: (t) => `**${escapeMarkdown(t)}**`,
  sentence: (s) => escapeMarkdown(s),
  fact: (f) => `**${f.label}:** ${f.code ? `\`${f.value}\`` : escapeMarkdown(f.value)}`,
  body: (b) => `**Last ping body:**\n${fenced(b)}`,
  link: (label, url) => `[${label}](${url})`,
  // Two trailing spaces make a line break inside a paragraph.
  join: (blocks) => blocks.map((b) => b.join('  \n')).join('\n\n'),
};

const htmlLayout = (lineBreak: string): Layout => ({
  title: (t) => `<b>${escapeHtml(t)}</b>`,
  sentence: (s) => escapeHtml(s),
  fact: (f) => `<b>${f.label}:</b> ${f.code ? `<code>${escapeHtml(f.value)}</code>` : escapeHtml(f.value)}`,
  body: (b) => `<b>Last ping body:</b>${lineBreak}<pre>${escapeHtml(b)}</pre>`,
  link: (label, url) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`,
  join: (blocks) => blocks.map((b) => b.join(lineBreak)).join(lineBreak + lineBreak),
});

export interface RenderOptions {
  /** Include the last ping's body (default true). */
  body?: boolean;
}

export interface HtmlOptions extends RenderOptions {
  /** Break lines with `<br>` (for real HTML renderers) instead of newlines (Telegram, Pushover). */
  brTags?: boolean;
}

export function plainMessage(alert: AlertContext, options: RenderOptions = {}): string {
  return render(alert, plainLayout, options);
}

export function markdownMessage(alert: AlertContext, options: RenderOptions = {}): string {
  return render(alert, markdownLayout, options);
}

/**
 * HTML with only <b>, <code>, <pre> and <a> (the subset Telegram, Pushover and Matrix accept), lines
 * broken by newlines or, with `brTags`, by `<br>`.
 */
export function htmlMessage(alert: AlertContext, options: HtmlOptions = {}): string {
  return render(alert, htmlLayout(options.brTags ? '<br>\n' : '\n'), options);
}
