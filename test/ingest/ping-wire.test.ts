import { describe, expect, it } from 'vitest';
import type { PingRequest } from '../../src/ingest/ping-request.js';
import { fromWire, toWire } from '../../src/ingest/ping-wire.js';

const request: PingRequest = {
  route: { target: { by: 'slug', pingKey: 'abcdefghijklmnopqrstuv', slug: 'nightly-backup' }, action: 'fail', exitStatus: 3 },
  create: true,
  rid: '3f2c6a43-35a4-4a0e-9b5a-3b3c1d5e6f70',
  ridInvalid: false,
  method: 'POST',
  scheme: 'https',
  remoteAddr: '203.0.113.9',
  ua: 'curl/8.5.0',
  body: Buffer.from('disk full\n'),
  meta: { runtime: 12.5, memory: 1048576, exitCode: 3, failureMessage: 'disk full' },
  receivedAt: 1_790_000_000_123,
};

/** What a worker thread receives: the message's structured clone. */
const acrossThreads = <T>(value: T): T => structuredClone(value);

describe('a ping request on its way to the writer thread', () => {
  it('arrives whole, its body a Buffer again', () => {
    const received = fromWire(acrossThreads(toWire(request)));
    expect(received).toEqual(request);
    expect(Buffer.isBuffer(received.body)).toBe(true);
  });

  it('carries only the body, not the large buffer a body read from a socket is a view of', () => {
    const socketRead = Buffer.alloc(64 * 1024, 0x61);
    const wire = toWire({ ...request, body: socketRead.subarray(100, 110) });
    expect(wire[10]?.buffer.byteLength).toBe(10);
    expect(fromWire(acrossThreads(wire)).body.toString()).toBe('aaaaaaaaaa');
  });

  it('arrives with an empty body when it had none', () => {
    const received = fromWire(acrossThreads(toWire({ ...request, body: Buffer.alloc(0) })));
    expect(received.body.length).toBe(0);
    expect(Buffer.isBuffer(received.body)).toBe(true);
  });
});
