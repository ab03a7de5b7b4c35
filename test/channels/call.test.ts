// Phone calls through Twilio.
import { describe, expect, it } from 'vitest';
import { call } from '../../src/channels/call/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, useStandIn } from './fixtures.js';

describe('call', () => {
  const stand = useStandIn({ reply: { status: 201, body: { sid: 'CA1' } } });
  const settings = () => ({ TWILIO_ACCOUNT: 'AC123', TWILIO_AUTH: 'secret', TWILIO_FROM: '+15550001111', TWILIO_API_URL: stand.server.url });
  const config = () => call.parseConfig({ value: '+37120000000' });

  it('places a call that reads the down alert', async () => {
    const alert = downAlert();
    alert.check.name = 'Backup <db> & co';
    await call.send(config(), alert, stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/2010-04-01/Accounts/AC123/Calls.json' });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    expect(request?.form()).toEqual({
      To: '+37120000000',
      From: '+15550001111',
      Twiml:
        '<Response><Say>Hello! This is Lookout. The check Backup &lt;db&gt; &amp; co is down. No ping arrived in time. ' +
        'Please check your dashboard for details.</Say></Response>',
    });
  });

  it('is a no-op for up alerts', () => {
    expect(call.isNoop(config(), 'up')).toBe(true);
    expect(call.isNoop(config(), 'down')).toBe(false);
  });

  it('validates the number and maps failures', async () => {
    expect(() => call.parseConfig({ value: '+1', up: true })).toThrow(
      new ChannelConfigError('value: must be a phone number in international format, like +15551234567'),
    );
    stand.server.replyOnce({ status: 400, body: { code: 21211 } }, { status: 500 });
    await expectTransportError(call.send(config(), downAlert(), stand.env(settings())), 'Invalid phone number', true);
    await expectTransportError(call.send(config(), downAlert(), stand.env(settings())), 'Received status code 500');
    await expectTransportError(
      call.send(config(), downAlert(), stand.env({ TWILIO_ACCOUNT: 'a', TWILIO_AUTH: 'b' })),
      'Phone call notifications are not enabled',
    );
  });
});
