// Reads a request body without ever holding more than a fixed number of bytes: the part past
// `keep` is read and dropped, and a body past `max` is refused. On refusal the stream is left
// open (not destroyed), so the caller can drain it and still deliver its answer.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

/** The client went away before sending its whole body: there is nobody left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection before the body was complete');
  }
}

const EMPTY = Buffer.alloc(0);

export function readBoundedBody(stream: IncomingMessage, keep: number, max: number): Promise<Buffer> {
  const length = stream.headers['content-length'];
  // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body: most pings.
  if (length === undefined && stream.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  if (Number(length ?? 0) > max) return Promise.reject(new BodyTooLargeError());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const finish = (settle: () => void) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onFailure);
      stream.off('close', onClose);
      stream.pause();
      settle();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) return finish(() => reject(new BodyTooLargeError()));
      if (kept < keep) {
        const part = chunk.length <= keep - kept ? chunk : chunk.subarray(0, keep - kept);
        chunks.push(part);
        kept += part.length;
      }
    };
    const onEnd = () => finish(() => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept)));
    const onFailure = () => finish(() => reject(new ClientGoneError()));
    const onClose = () => {
      if (!stream.complete) onFailure();
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onFailure);
    stream.on('close', onClose);
  });
}
