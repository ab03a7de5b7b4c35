// A tiny HTTP/1.1 client over node:net for requests that fetch refuses to send or quietly fixes:
// odd targets (`..`, `//`, raw bytes), conflicting framing headers, huge or endless bodies. It
// writes exactly the bytes it is given and reads back the first final answer.
import net from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names lowercased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Statuses of the interim answers (`100 Continue`) that came first. */
  interim: number[];
  /** The bytes of the answer's status line and headers, for messages. */
  head: string;
}

export interface RawRequestOptions {
  /** The request was HEAD, so the answer has no body whatever its Content-Length says. */
  head?: boolean;
  timeoutMs?: number;
  /** Half-closes the connection once every part is sent, as a client that gives up would. */
  hangUp?: boolean;
  /**
   * Sends every part before reading anything, as simple clients (Python's requests, urllib) do,
   * instead of stopping as soon as an answer starts.
   */
  sendAll?: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** What is known of an answer once its head has arrived: where its body ends, if it can tell. */
interface ParsedHead {
  answer: Omit<RawAnswer, 'body' | 'interim'>;
  bodyStart: number;
}

function parseHead(buffer: Buffer): ParsedHead | null {
  const end = buffer.indexOf(HEAD_END);
  if (end === -1) return null;
  const head = buffer.subarray(0, end).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(head.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { answer: { status: Number(match[1]), headers, head }, bodyStart: end + HEAD_END.length };
}

/** The body of a chunked answer, or null while it is incomplete. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) return null;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return data.indexOf(HEAD_END, lineEnd) === -1 ? null : Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return null;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Splits off the interim (1xx) answers at the start of `buffer`, such as `100 Continue`. */
function skipInterim(buffer: Buffer): { interim: number[]; rest: Buffer } {
  const interim: number[] = [];
  let rest = buffer;
  for (let parsed = parseHead(rest); parsed && parsed.answer.status < 200; parsed = parseHead(rest)) {
    interim.push(parsed.answer.status);
    rest = rest.subarray(parsed.bodyStart);
  }
  return { interim, rest };
}

/**
 * The first final (non-1xx) answer in `buffer`, or null while it is incomplete. `closed` says the
 * server closed the connection, which ends a body that has neither length nor chunks.
 */
function completeAnswer(buffer: Buffer, headRequest: boolean, closed: boolean): RawAnswer | null {
  const { interim, rest } = skipInterim(buffer);
  const parsed = parseHead(rest);
  if (!parsed) return null;
  const answer = { ...parsed.answer, interim };
  const data = rest.subarray(parsed.bodyStart);
  if (headRequest || answer.status === 204 || answer.status === 304) return { ...answer, body: Buffer.alloc(0) };
  if (/chunked/i.test(answer.headers['transfer-encoding'] ?? '')) {
    const body = dechunk(data);
    return body === null ? null : { ...answer, body };
  }
  const length = answer.headers['content-length'];
  if (length !== undefined) {
    return data.length < Number(length) ? null : { ...answer, body: data.subarray(0, Number(length)) };
  }
  return closed ? { ...answer, body: Buffer.from(data) } : null;
}

/**
 * Sends `parts` in order on a new connection and resolves with the first final answer. Parts are
 * produced lazily and written one at a time, waiting for each to reach the kernel and stopping as
 * soon as an answer starts, the way curl does: a server that answers early and closes must not
 * turn its answer into a reset on our side. Rejects when the connection ends without a complete
 * answer, or on timeout.
 */
export function rawRequest(port: number, parts: Iterable<string | Buffer>, options: RawRequestOptions = {}): Promise<RawAnswer> {
  const { head = false, timeoutMs = 10_000, hangUp = false, sendAll = false } = options;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | null, answer?: RawAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer as RawAnswer);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms; got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`)), timeoutMs);
    const tryFinish = (closed: boolean): boolean => {
      try {
        const answer = completeAnswer(received, head, closed);
        if (answer) finish(null, answer);
        return answer !== null;
      } catch (error) {
        finish(error as Error);
        return true;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryFinish(false);
    });
    socket.on('end', () => {
      if (!tryFinish(true)) finish(new Error(`connection closed before a complete answer; got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    });
    socket.on('error', (error) => {
      if (!tryFinish(true)) finish(new Error(`connection failed before a complete answer (${error.message}); got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    });
    socket.on('close', () => {
      if (!tryFinish(true)) finish(new Error('connection closed before a complete answer'));
    });

    // Anything but `100 Continue` means the server has made up its mind: stop sending.
    const answerStarted = (): boolean => {
      try {
        return skipInterim(received).rest.length > 0;
      } catch {
        return true;
      }
    };
    const iterator = parts[Symbol.iterator]();
    const writeNext = (): void => {
      if (settled || socket.destroyed || (!sendAll && answerStarted())) return;
      const next = iterator.next();
      if (next.done) {
        if (hangUp) socket.end();
        socket.resume();
        return;
      }
      socket.write(next.value, (error) => {
        if (!error) writeNext();
      });
    };
    if (sendAll) socket.pause();
    socket.once('connect', writeNext);
  });
}

export interface RequestShape {
  method?: string;
  /** The request target exactly as sent; a Buffer for bytes that are not ASCII. */
  target: string | Buffer;
  /** Sent in order, as given; no header is added but Host and, for a body, its length. */
  headers?: [string, string][];
  body?: Buffer | string;
}

/**
 * The bytes of one request. A body gets a Content-Length unless the headers already frame it
 * (Content-Length or Transfer-Encoding), so that tests can lie about either. The connection is
 * left to keep alive (rawRequest closes it after the answer): Node then reads and drops a body a
 * handler did not read, where `Connection: close` would make it reset the connection and could
 * lose its answer on the way.
 */
export function requestBytes({ method = 'GET', target, headers = [], body }: RequestShape): Buffer {
  const framed = headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  const lines = [['Host', '127.0.0.1'], ...headers];
  if (body !== undefined && !framed) lines.push(['Content-Length', String(Buffer.byteLength(body))]);
  return Buffer.concat([
    Buffer.from(`${method} `),
    Buffer.from(target),
    Buffer.from(` HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`),
    Buffer.from(body ?? ''),
  ]);
}

export interface ChunkedBodyOptions {
  /** The byte the body is made of. */
  fill?: number;
  /**
   * Whether the last chunk follows. Without it the body is one that goes on: the client stops
   * after `total` bytes to wait for the answer. A body over the server's limit is best sent this
   * way, with `total` just past the limit: the server refuses it only once it has read that far,
   * so every write comes before its answer and its close, and none can run into a reset
   * connection and lose the answer on the way.
   */
  complete?: boolean;
}

/** The chunked encoding of `total` bytes, produced lazily in 64 KiB chunks. */
export function* chunkedBody(total: number, { fill = 0x61, complete = true }: ChunkedBodyOptions = {}): Generator<Buffer> {
  const piece = Buffer.alloc(64 * 1024, fill);
  for (let sent = 0; sent < total; sent += piece.length) {
    const size = Math.min(piece.length, total - sent);
    yield Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece.subarray(0, size), Buffer.from('\r\n')]);
  }
  if (complete) yield Buffer.from('0\r\n\r\n');
}
