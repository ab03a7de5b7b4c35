// PagerTree incoming webhooks.
import { describe, expect, it } from 'vitest';
import { pagertree } from '../../src/channels/pagertree/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, PLAIN_DOWN, PLAIN_UP, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('pagertree', () => {
  const stand = useStandIn();
  const config = () => pagertree.parseConfig({ url: `${stand.server.url}/integration/int_xyz` });
  const payload = (eventType: string, title: string, description: string) => ({
    incident_key: UNIQUE_KEY,
    event_type: eventType,
    title,
    description,
    client: 'Lookout',
    client_url: DETAILS_URL,
    tags: 'prod,db',
  });

  it('triggers and resolves incidents keyed by the unique key', async () => {
    await pagertree.send(config(), downAlert(), stand.env());
    await pagertree.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/integration/int_xyz' });
    expect(down?.json()).toEqual(payload('trigger', '“Nightly backup” is DOWN', PLAIN_DOWN));
    expect(up?.json()).toEqual(payload('resolve', '“Nightly backup” is UP', PLAIN_UP));
  });

  it('validates its URL', () => {
    expect(() => pagertree.parseConfig(null)).toThrow(new ChannelConfigError('configuration must be a JSON object'));
    expect(pagertree.isNoop(config(), 'down')).toBe(false);
  });

  it('reports failures as transient', async () => {
    stand.server.replyOnce({ status: 404 });
    await expectTransportError(pagertree.send(config(), downAlert(), stand.env()), 'Received status code 404');
    await expectTransportError(
      pagertree.send(config(), downAlert(), stand.env({ PAGERTREE_ENABLED: 'no' })),
      'PagerTree notifications are not enabled',
    );
  });
});
