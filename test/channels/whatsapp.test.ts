// WhatsApp through Twilio Content templates.
import { describe, expect, it } from 'vitest';
import { ChannelConfigError } from '../../src/channels/types.js';
import { whatsapp } from '../../src/channels/whatsapp/index.js';
import { downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

describe('whatsapp', () => {
  const stand = useStandIn({ reply: { status: 201, body: { sid: 'SM1' } } });
  const settings = () => ({
    TWILIO_USE_WHATSAPP: 'true',
    TWILIO_ACCOUNT: 'AC123',
    TWILIO_AUTH: 'secret',
    TWILIO_FROM: '+15550001111',
    TWILIO_MESSAGING_SERVICE_SID: 'MG42',
    WHATSAPP_DOWN_CONTENT_SID: 'HXdown',
    WHATSAPP_UP_CONTENT_SID: 'HXup',
    TWILIO_API_URL: stand.server.url,
  });
  const config = () => whatsapp.parseConfig({ value: '+37120000000' });

  it('sends the down and up templates with the check name as variable 1', async () => {
    await whatsapp.send(config(), downAlert(), stand.env(settings()));
    await whatsapp.send(config(), upAlert(), stand.env(settings()));
    const [down, up] = stand.server.requests;
    expect(down).toMatchObject({ method: 'POST', path: '/2010-04-01/Accounts/AC123/Messages.json' });
    expect(down?.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    const common = { To: 'whatsapp:+37120000000', From: 'whatsapp:+15550001111', MessagingServiceSid: 'MG42', ContentVariables: '{"1":"Nightly backup"}' };
    expect(down?.form()).toEqual({ ...common, ContentSid: 'HXdown' });
    expect(up?.form()).toEqual({ ...common, ContentSid: 'HXup' });
  });

  it('honours the toggles and validates the number', () => {
    expect(whatsapp.isNoop(whatsapp.parseConfig({ value: '+37120000000', down: false }), 'down')).toBe(true);
    expect(() => whatsapp.parseConfig({ value: '' })).toThrow(
      new ChannelConfigError('value: must be a phone number in international format, like +15551234567'),
    );
  });

  it('is off unless TWILIO_USE_WHATSAPP and the templates are set; an invalid number is permanent', async () => {
    await expectTransportError(
      whatsapp.send(config(), downAlert(), stand.env({ ...settings(), TWILIO_USE_WHATSAPP: undefined })),
      'WhatsApp notifications are not enabled',
    );
    await expectTransportError(
      whatsapp.send(config(), downAlert(), stand.env({ ...settings(), WHATSAPP_UP_CONTENT_SID: '' })),
      'WhatsApp notifications are not enabled',
    );
    stand.server.replyOnce({ status: 400, body: { code: 21211, message: 'Invalid To' } });
    await expectTransportError(whatsapp.send(config(), downAlert(), stand.env(settings())), 'Invalid phone number', true);
  });
});
