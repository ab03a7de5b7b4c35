// Reads a request body without ever holding more than a fixed number of bytes: the part past
// `keep` is read and dropped, and a body past `max` is refused.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

const EMPTY = Buffer.alloc(0);

export async function readBoundedBody(stream: IncomingMessage, keep: number, max: number): Promise<Buffer> {
  const length = stream.headers['content-length'];
  // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body: most pings.
  if (length === undefined && stream.headers['transfer-encoding'] === undefined) return EMPTY;
  if (Number(length ?? 0) > max) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new BodyTooLargeError();
    if (kept < keep) {
      const part = chunk.length <= keep - kept ? chunk : chunk.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept);
}
