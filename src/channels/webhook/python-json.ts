// JSON formatted exactly as Python's json.dumps() with default arguments formats it, which is what
// Healthchecks webhooks send for $JSON, $NAME_JSON and $BODY_JSON: ", " and ": " separators and
// every character outside printable ASCII escaped as \uXXXX.

function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return asciiOnly(JSON.stringify(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
      return `{${Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
        .join(', ')}}`;
    default:
      return JSON.stringify(String(value));
  }
}
