// The answers docs/pinging.md promises for the ping endpoint, and the ones Node itself gives to
// requests too large to parse. Anything else from /ping/... is a bug.

/** `status body` pairs of docs/pinging.md, but 503 (the database is down, which tests never arrange). */
export const DOCUMENTED_PING_ANSWERS: ReadonlySet<string> = new Set([
  '200 OK',
  '201 Created',
  '400 invalid url format',
  '400 invalid uuid format',
  '400 invalid runtime',
  '400 invalid memory',
  '400 invalid exit_code',
  '400 request body too large',
  '404 not found',
  '409 ambiguous slug',
]);

/** A body over this many bytes (2.5 MiB, Healthchecks' DATA_UPLOAD_MAX_MEMORY_SIZE) is refused. */
export const MAX_UPLOAD_BYTES = 2_621_440;

/** Node refuses request heads over the header limit (the request line included) before routing. */
export const HEADERS_TOO_LARGE = 431;

export const PING_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * The documented body of an answer to HEAD, which carries only the body's length: each status
 * has documented bodies of different lengths. Undefined when none fits.
 */
export function documentedBodyOfLength(status: number, length: number): string | undefined {
  for (const answer of DOCUMENTED_PING_ANSWERS) {
    const body = answer.slice(4);
    if (answer.startsWith(`${status} `) && Buffer.byteLength(body) === length) return body;
  }
  return undefined;
}

/** Why an answer is not one the documentation allows, or null when it is. */
export function undocumentedPingAnswer(status: number, body: string, contentType: string | undefined): string | null {
  if (status === HEADERS_TOO_LARGE) return null;
  if (!DOCUMENTED_PING_ANSWERS.has(`${status} ${body}`)) return `undocumented answer ${status} ${JSON.stringify(body.slice(0, 200))}`;
  if (contentType !== PING_CONTENT_TYPE) return `answer ${status} ${body} with content type ${contentType}`;
  return null;
}
