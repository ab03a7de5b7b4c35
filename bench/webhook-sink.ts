// The alert benchmark's webhook receiver: notes when each check's alert arrived (the request body is
// the check's UUID) and answers 200 with an empty body. It stands in for a receiver on another
// machine, yet during the spike it shares this machine's two cores with the server being measured,
// so it is a minimal HTTP/1.1 server on raw sockets: Node's HTTP server costs about three times as
// much CPU per request, all of it taken from the server. It reads what webhooks send: requests
// with a Content-Length (a chunked body closes the connection, and the run then fails for want of
// that alert), any number per connection, pipelined or not.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Sink {
  url: string;
  /** Arrival time (epoch ms) of the first request with each body. */
  arrivals: Map<string, number>;
  /** Resolves once `count` distinct bodies have arrived. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const HEAD_END = '\r\n\r\n';
const OK = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', 'latin1');

/** The complete requests at the start of `pending` (their bodies) and what follows them; null for a request this sink cannot read. */
export function takeRequests(pending: string): { bodies: string[]; rest: string } | null {
  const bodies: string[] = [];
  let at = 0;
  for (;;) {
    const headEnd = pending.indexOf(HEAD_END, at);
    if (headEnd < 0) break;
    const head = pending.slice(at, headEnd).toLowerCase();
    if (head.includes('\r\ntransfer-encoding:')) return null;
    const length = /\r\ncontent-length: *(\d+)/.exec(head)?.[1];
    const end = headEnd + HEAD_END.length + (length === undefined ? 0 : Number(length));
    if (pending.length < end) break;
    bodies.push(pending.slice(headEnd + HEAD_END.length, end));
    at = end;
  }
  return { bodies, rest: pending.slice(at) };
}

export async function startSink(): Promise<Sink> {
  const arrivals = new Map<string, number>();
  let waiter: { count: number; resolve(): void } | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('latin1');
    let pending = '';
    socket.on('data', (chunk: string) => {
      const taken = takeRequests(pending + chunk);
      if (taken === null) return socket.destroy();
      pending = taken.rest;
      if (taken.bodies.length === 0) return;
      const now = Date.now();
      for (const body of taken.bodies) if (!arrivals.has(body)) arrivals.set(body, now);
      socket.write(taken.bodies.length === 1 ? OK : Buffer.concat(taken.bodies.map(() => OK)));
      if (waiter && arrivals.size >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    waitFor: (count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (arrivals.size >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${arrivals.size} of ${count} alerts arrived in ${timeoutMs} ms`)), timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve();
          },
        };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
