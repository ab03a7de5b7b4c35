// PagerDuty Events API v2.
import { describe, expect, it } from 'vitest';
import { pd } from '../../src/channels/pd/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

const KEY = 'R0123456789ABCDEFGHIJKLMNOPQRSTU';

describe('pd (PagerDuty)', () => {
  const stand = useStandIn({ reply: { status: 202, body: { status: 'success', message: 'Event processed' } } });
  const settings = () => ({ PD_EVENTS_URL: stand.server.url });

  it('triggers an incident keyed by the unique key for a down alert', async () => {
    await pd.send(pd.parseConfig({ routing_key: KEY }), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/enqueue' });
    expect(request?.json()).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: UNIQUE_KEY,
      payload: {
        summary: '“Nightly backup” is DOWN. No ping arrived in time.',
        source: 'Lookout',
        severity: 'critical',
        timestamp: '2025-01-02T04:00:00.000Z',
        group: 'Backups',
        class: 'timeout',
        custom_details: {
          Description: 'Dumps the main database',
          Project: 'Backups',
          Tags: 'prod db',
          Period: '1 day',
          'Grace time': '1 hour',
          'Last ping': 'Success, 2025-01-01 03:00:00 UTC',
          'Total pings': '42',
          'Last ping body': 'backup finished',
        },
      },
      client: 'Lookout',
      client_url: DETAILS_URL,
      links: [{ href: DETAILS_URL, text: 'View on Lookout' }],
    });
  });

  it('resolves the incident for an up alert', async () => {
    await pd.send(pd.parseConfig(KEY), upAlert(), stand.env(settings()));
    expect(stand.server.requests[0]?.json()).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: UNIQUE_KEY });
  });

  it('accepts Healthchecks’ service_key and validates the key', () => {
    expect(pd.parseConfig({ service_key: KEY, account: 'acme' })).toEqual({ routing_key: KEY, account: 'acme' });
    expect(() => pd.parseConfig({ routing_key: 'short' })).toThrow(
      new ChannelConfigError('routing_key: must be a 32-character integration (routing) key'),
    );
    expect(pd.isNoop(pd.parseConfig(KEY), 'up')).toBe(false);
  });

  it('treats an invalid routing key as permanent, other failures as transient', async () => {
    stand.server.replyOnce(
      { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } },
      { status: 429, body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' } },
      { status: 500, body: 'oops' },
    );
    const send = () => pd.send(pd.parseConfig(KEY), downAlert(), stand.env(settings()));
    await expectTransportError(send(), 'Received status code 400 with a message: "Invalid routing key"', true);
    await expectTransportError(send(), 'Received status code 429 with a message: "Requests for this service are arriving too quickly."');
    await expectTransportError(send(), 'Received status code 500');
    await expectTransportError(
      pd.send(pd.parseConfig(KEY), downAlert(), stand.env({ ...settings(), PD_ENABLED: 'false' })),
      'PagerDuty notifications are not enabled',
    );
  });
});
