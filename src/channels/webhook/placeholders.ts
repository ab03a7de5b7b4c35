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

function placeholderValues(template: string, alert: AlertContext, field: TemplateField): [string, string][] {
  const encode = field === 'url' ? pythonQuote : (s: string) => s;
  const { check, event } = alert;
  const values: [string, string][] = [
    ['$CODE', check.code],
    ['$STATUS', event.status],
    ['$NOW', encode(isoSeconds(event.at))],
    ['$NAME_JSON', encode(pythonJson(check.name))],
    ['$NAME', encode(check.name)],
    ['$SLUG', check.slug],
    ['$TAGS', encode(check.tags)],
    ['$JSON', encode(pythonJson(check.json))],
  ];
  // The ping body only ever goes into request bodies.
  if (field === 'body' && template.includes('$BODY')) {
    const body = alert.lastPing?.body ?? '';
    values.push(['$BODY_JSON', pythonJson(body)], ['$BODY', body]);
  }
  const exitStatus = alert.lastPing?.exitStatus;
  values.push(['$EXITSTATUS', exitStatus === null || exitStatus === undefined ? '-1' : String(exitStatus)]);
  tagList(alert).forEach((tag, i) => values.push([`$TAG${i + 1}`, encode(tag)]));
  return values;
}

/** The template with its placeholders filled in for this alert, encoded for where it is used. */
export function expandTemplate(template: string, alert: AlertContext, field: TemplateField): string {
  const result = replacePlaceholders(template, placeholderValues(template, alert, field));
  return field === 'header' ? latin1CharRefs(result) : result;
}
