// Sends cross to the sender thread as flat arrays: what arrives must be what was sent.
import { describe, expect, it } from 'vitest';
import { eventFromWire, eventToWire, subjectFromWire, subjectToWire } from '../../src/notify/job-wire.js';
import type { AlertSubject, MessageCheck } from '../../src/store/notifications.js';
import { MESSAGE_CHECK_COLUMNS } from '../../src/store/notifications.js';

const check: MessageCheck = {
  id: 41,
  code: 'd3b07384-d9a0-4f5c-9a8e-0123456789ab',
  name: 'nightly “backup”',
  slug: 'nightly-backup',
  tags: 'prod db',
  description: 'dumps\nthe database',
  kind: 'cron',
  timeout: 86_400,
  grace: 3_600,
  schedule: '0 3 * * *',
  tz: 'Europe/Riga',
  n_pings: 17,
  last_ping: 1_795_400_000_123,
  project_id: 7,
};

/** A stand-in for whatever the API view holds: it crosses as it is. */
const view = { check: { ...check, status: 'down' }, channelCodes: ['b1', 'c2'] } as unknown as NonNullable<AlertSubject['view']>;

describe('job wire', () => {
  it('gives the subject back as it was, each column in its place', () => {
    const subject: AlertSubject = { check, project: { code: 'p-code', name: 'Backups' }, view: null };
    const wire = subjectToWire(subject);
    expect(wire[0]).toHaveLength(MESSAGE_CHECK_COLUMNS.length);
    expect(subjectFromWire(structuredClone(wire))).toEqual(subject);
  });

  it('gives a subject shared by several sends one wire form, so that a message carries it once', () => {
    const subject: AlertSubject = { check, project: { code: 'p', name: 'P' }, view: null };
    expect(subjectToWire(subject)).toBe(subjectToWire(subject));
    expect(subjectToWire({ ...subject })).not.toBe(subjectToWire(subject));
  });

  it('carries the API view as it is, and of the check only what messages read', () => {
    const subject: AlertSubject = { check: view.check, project: { code: 'p', name: 'P' }, view };
    const received = subjectFromWire(structuredClone(subjectToWire(subject)));
    expect(received.view).toEqual(view);
    expect(received.check).toEqual(check);
  });

  it('gives the event back as it was', () => {
    for (const event of [
      { code: 'n-1', status: 'down' as const, reason: 'timeout', event_at: 1_795_400_000_000, downtime: null },
      { code: 'n-2', status: 'up' as const, reason: '', event_at: 1_795_400_060_000, downtime: 60_000 },
    ]) {
      expect(eventFromWire(structuredClone(eventToWire(event)))).toEqual(event);
    }
  });
});
