// Opsgenie Alert API.
import { describe, expect, it } from 'vitest';
import { opsgenie } from '../../src/channels/opsgenie/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, PLAIN_DOWN, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('opsgenie', () => {
  const stand = useStandIn({ reply: { status: 202, body: { result: 'Request will be processed', requestId: 'r1' } } });
  const settings = () => ({ OPSGENIE_API_URL: `${stand.server.url}/us`, OPSGENIE_EU_API_URL: `${stand.server.url}/eu` });

  it('creates an alert aliased by the unique key for a down alert', async () => {
    await opsgenie.send(opsgenie.parseConfig({ key: 'gk-123' }), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/us/v2/alerts', query: {} });
    expect(request?.headers.authorization).toBe('GenieKey gk-123');
    expect(request?.json()).toEqual({
      alias: UNIQUE_KEY,
      source: 'Lookout',
      message: '“Nightly backup” is DOWN',
      description: PLAIN_DOWN,
      tags: ['prod', 'db'],
      details: {
        Description: 'Dumps the main database',
        Project: 'Backups',
        Tags: 'prod db',
        Period: '1 day',
        'Grace time': '1 hour',
        'Last ping': 'Success, 2025-01-01 03:00:00 UTC',
        'Total pings': '42',
        'Full details': DETAILS_URL,
      },
    });
  });

  it('closes the alert by alias for an up alert, in the EU region', async () => {
    await opsgenie.send(opsgenie.parseConfig({ key: 'gk-123', region: 'eu' }), upAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/eu/v2/alerts/${UNIQUE_KEY}/close`, query: { identifierType: 'alias' } });
    expect(request?.json()).toEqual({ source: 'Lookout', note: '“Nightly backup” is UP.' });
  });

  it('validates its configuration', () => {
    expect(() => opsgenie.parseConfig({ key: 'k', region: 'asia' })).toThrow(new ChannelConfigError('region: must be one of "us", "eu"'));
    expect(() => opsgenie.parseConfig({ region: 'us' })).toThrow(new ChannelConfigError('key: is required'));
    expect(opsgenie.isNoop(opsgenie.parseConfig({ key: 'k' }), 'up')).toBe(false);
  });

  it('quotes Opsgenie’s error message', async () => {
    stand.server.replyOnce({ status: 422, body: { message: 'Key format is not valid!', took: 0.001 } });
    await expectTransportError(
      opsgenie.send(opsgenie.parseConfig({ key: 'bad' }), downAlert(), stand.env(settings())),
      'Received status code 422 with a message: "Key format is not valid!"',
    );
  });
});
