// SMS through Twilio.
import { describe, expect, it } from 'vitest';
import { sms } from '../../src/channels/sms/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

const AUTH = `Basic ${Buffer.from('AC123:secret').toString('base64')}`;

describe('sms', () => {
  const stand = useStandIn({ reply: { status: 201, body: { sid: 'SM1' } } });
  const settings = (extra: Record<string, string> = {}) => ({
    TWILIO_ACCOUNT: 'AC123',
    TWILIO_AUTH: 'secret',
    TWILIO_FROM: '+15550001111',
    TWILIO_API_URL: stand.server.url,
    ...extra,
  });
  const config = () => sms.parseConfig({ value: '+37120000000' });

  it('sends a down alert from TWILIO_FROM', async () => {
    await sms.send(config(), downAlert(), stand.env(settings()));
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/2010-04-01/Accounts/AC123/Messages.json' });
    expect(request?.headers.authorization).toBe(AUTH);
    expect(request?.form()).toEqual({
      To: '+37120000000',
      From: '+15550001111',
      Body: 'Lookout: “Nightly backup” is DOWN. No ping arrived in time.',
    });
  });

  it('sends an up alert through a messaging service when one is configured', async () => {
    await sms.send(config(), upAlert(), stand.env(settings({ TWILIO_MESSAGING_SERVICE_SID: 'MG42' })));
    expect(stand.server.requests[0]?.form()).toEqual({
      To: '+37120000000',
      MessagingServiceSid: 'MG42',
      Body: 'Lookout: “Nightly backup” is UP. The downtime lasted 2 hours 5 minutes.',
    });
  });

  it('honours the up/down toggles and validates the number', () => {
    const downOnly = sms.parseConfig({ value: '+37120000000', up: false });
    expect(sms.isNoop(downOnly, 'up')).toBe(true);
    expect(sms.isNoop(downOnly, 'down')).toBe(false);
    expect(sms.parseConfig('+15551234567')).toEqual({ value: '+15551234567', up: true, down: true });
    expect(() => sms.parseConfig({ value: '555-1234' })).toThrow(
      new ChannelConfigError('value: must be a phone number in international format, like +15551234567'),
    );
    expect(() => sms.parseConfig({ value: '+15551234567', up: 'yes' })).toThrow(new ChannelConfigError('up: must be a boolean'));
  });

  it('treats an invalid number as permanent and needs the Twilio settings', async () => {
    stand.server.replyOnce(
      { status: 400, body: { code: 21211, message: "The 'To' number +371 is not a valid phone number.", status: 400 } },
      { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } },
    );
    await expectTransportError(sms.send(config(), downAlert(), stand.env(settings())), 'Invalid phone number', true);
    await expectTransportError(sms.send(config(), downAlert(), stand.env(settings())), 'Received status code 401 with a message: "Authenticate"');
    await expectTransportError(sms.send(config(), downAlert(), stand.env({ TWILIO_ACCOUNT: 'AC123' })), 'SMS notifications are not enabled');
  });
});
