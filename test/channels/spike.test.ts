// Spike.sh incoming webhooks.
import { describe, expect, it } from 'vitest';
import { spike } from '../../src/channels/spike/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { PLAIN_DOWN, PLAIN_UP, UNIQUE_KEY, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('spike', () => {
  const stand = useStandIn();
  const config = () => spike.parseConfig(`${stand.server.url}/v1/alerts/abc`);

  it('posts the status with the unique key as check id', async () => {
    await spike.send(config(), downAlert(), stand.env());
    await spike.send(config(), upAlert(), stand.env());
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/v1/alerts/abc' });
    expect(down?.json()).toEqual({ check_id: UNIQUE_KEY, title: '“Nightly backup” is DOWN', message: PLAIN_DOWN, status: 'down' });
    expect(up?.json()).toEqual({ check_id: UNIQUE_KEY, title: '“Nightly backup” is UP', message: PLAIN_UP, status: 'up' });
  });

  it('validates its URL', () => {
    expect(() => spike.parseConfig({ link: 'x' })).toThrow(new ChannelConfigError('url: is required'));
    expect(spike.isNoop(config(), 'up')).toBe(false);
  });

  it('reports failures as transient', async () => {
    stand.server.replyOnce({ status: 400 });
    await expectTransportError(spike.send(config(), downAlert(), stand.env()), 'Received status code 400');
    await expectTransportError(spike.send(config(), downAlert(), stand.env({ SPIKE_ENABLED: 'false' })), 'Spike notifications are not enabled');
  });
});
