// Webhook placeholders ($NAME, $STATUS, $JSON…) with Healthchecks' exact substitution rules
// (spec §6.1): only placeholders written in the template are replaced, never ones that appear in a
// substituted value; the first placeholder in the list below that the text after a `$` starts with
// wins ($NAME_JSON before $NAME, and "$TAG10" reads as $TAG1 followed by "0").
import { isoSeconds, tagList } from '../text.js';
import type { AlertContext } from '../types.js';
import { pythonJson } from './python-json.js';

/** Where the template is used, which decides encoding and whether the ping body is available. */
export type TemplateField = 'url' | 'header' | 'body';

/** Python's urllib.parse.quote(): UTF-8 percent-encoding, keeping only A-Z a-z 0-9 _ . - ~ and /. */
export function pythonQuote(text: string): string {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return encodeURIComponent(wellFormed)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/** Python's "xmlcharrefreplace" for latin-1: characters above U+00FF become `&#NNN;`. */
export function latin1CharRefs(text: string): string {
  return Array.from(text, (c) => ((c.codePointAt(0) as number) > 0xff ? `&#${c.codePointAt(0)};` : c)).join('');
}

/** Replaces each `$` + placeholder of the template once, in a single left-to-right pass. */
export function replacePlaceholders(template: string, values: [placeholder: string, value: string][]): string {
  const [first, ...parts] = template.split('$');
  return (
    (first as string) +
    parts
      .map((part) => {
        const piece = `$${part}`;
        const match = values.find(([placeholder]) => piece.startsWith(placeholder));
        return match ? match[1] + piece.slice(match[0].length) : piece;
      })
      .join('')
  );
}

type Encode = (text: string) => string;
const asIs: Encode = (text) => text;

/** The placeholders in the order they are tried, each with how its value is made. */
const PLACEHOLDERS: [placeholder: string, value: (alert: AlertContext, encode: Encode) => string][] = [
  ['$CODE', (alert) => alert.check.code],
  ['$STATUS', (alert) => alert.event.status],
  ['$NOW', (alert, encode) => encode(isoSeconds(alert.event.at))],
  ['$NAME_JSON', (alert, encode) => encode(pythonJson(alert.check.name))],
  ['$NAME', (alert, encode) => encode(alert.check.name)],
  ['$SLUG', (alert) => alert.check.slug],
  ['$TAGS', (alert, encode) => encode(alert.check.tags)],
  ['$JSON', (alert, encode) => encode(pythonJson(alert.check.json))],
  // The ping body only ever goes into request bodies (see placeholderValues).
  ['$BODY_JSON', (alert) => pythonJson(alert.lastPing?.body ?? '')],
  ['$BODY', (alert) => alert.lastPing?.body ?? ''],
  ['$EXITSTATUS', (alert) => String(alert.lastPing?.exitStatus ?? -1)],
];

/**
 * The values of the placeholders the template contains, in the order they are tried. Only those
 * are computed: $JSON renders the whole check, and most templates use one or two placeholders.
 */
function placeholderValues(template: string, alert: AlertContext, field: TemplateField): [string, string][] {
  const encode = field === 'url' ? pythonQuote : asIs;
  const values: [string, string][] = [];
  for (const [placeholder, value] of PLACEHOLDERS) {
    if (!template.includes(placeholder)) continue;
    if (placeholder.startsWith('$BODY') && field !== 'body') continue;
    values.push([placeholder, value(alert, encode)]);
  }
  if (template.includes('$TAG')) tagList(alert).forEach((tag, i) => values.push([`$TAG${i + 1}`, encode(tag)]));
  return values;
}

/** The template with its placeholders filled in for this alert, encoded for where it is used. */
export function expandTemplate(template: string, alert: AlertContext, field: TemplateField): string {
  const result = template.includes('$') ? replacePlaceholders(template, placeholderValues(template, alert, field)) : template;
  return field === 'header' ? latin1CharRefs(result) : result;
}
