// Splunk On-Call (VictorOps) REST endpoint.
import { describe, expect, it } from 'vitest';
import { ChannelConfigError } from '../../src/channels/types.js';
import { victorops } from '../../src/channels/victorops/index.js';
import { PLAIN_DOWN, PLAIN_UP, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('victorops', () => {
  const stand = useStandIn();
  const config = () => victorops.parseConfig(`${stand.server.url}/integrations/generic/20131114/alert/key/route`);

  it('sends CRITICAL for a down alert and RECOVERY for an up alert', async () => {
    await victorops.send(config(), downAlert(), stand.env());
    await victorops.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/integrations/generic/20131114/alert/key/route' });
    expect(down?.json()).toEqual({
      entity_id: UNIQUE_KEY,
      message_type: 'CRITICAL',
      entity_display_name: 'Nightly backup',
      state_message: PLAIN_DOWN,
      monitoring_tool: 'Lookout',
    });
    expect(up?.json()).toEqual({
      entity_id: UNIQUE_KEY,
      message_type: 'RECOVERY',
      entity_display_name: 'Nightly backup',
      state_message: PLAIN_UP,
      monitoring_tool: 'Lookout',
    });
  });

  it('validates its URL', () => {
    expect(() => victorops.parseConfig({ url: '' })).toThrow(new ChannelConfigError('url: must not be empty'));
    expect(victorops.isNoop(config(), 'up')).toBe(false);
  });

  it('treats 404 as permanent', async () => {
    stand.server.replyOnce({ status: 404 }, { status: 500 });
    await expectTransportError(victorops.send(config(), downAlert(), stand.env()), 'Received status code 404', true);
    await expectTransportError(victorops.send(config(), downAlert(), stand.env()), 'Received status code 500');
  });
});
