// Slack incoming webhooks.
import { describe, expect, it } from 'vitest';
import { slack } from '../../src/channels/slack/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { downAlert, expectTransportError, useStandIn, upAlert } from './fixtures.js';
import { slackDownPayload, slackUpPayload } from './slack-payload.js';

describe('slack', () => {
  const stand = useStandIn();
  const config = () => slack.parseConfig({ url: `${stand.server.url}/services/T000/B000/XXXX` });

  it('posts the attachment payload for a down alert', async () => {
    await slack.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/services/T000/B000/XXXX', query: {} });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json()).toEqual(slackDownPayload());
  });

  it('posts the attachment payload for an up alert', async () => {
    await slack.send(config(), upAlert(), stand.env());
    expect(stand.server.requests[0]?.json()).toEqual(slackUpPayload());
  });

  it('escapes Slack control characters and leaves out bodies that hold a code fence', async () => {
    const alert = downAlert();
    alert.check.name = 'a <b> & c';
    alert.lastPing = { kind: null, body: 'x ``` y', exitStatus: null };
    await slack.send(config(), alert, stand.env());
    const attachment = stand.server.requests[0]?.json().attachments[0];
    expect(attachment.title).toBe('“a &lt;b&gt; &amp; c” is DOWN.');
    expect(attachment.fields.map((f: { title: string }) => f.title)).not.toContain('Last ping body');
  });

  it('accepts a bare URL and validates it', () => {
    expect(slack.parseConfig('https://hooks.slack.com/services/x')).toEqual({ url: 'https://hooks.slack.com/services/x' });
    expect(() => slack.parseConfig({ url: 'hooks.slack.com' })).toThrow(new ChannelConfigError('url: must be an http or https URL'));
    expect(() => slack.parseConfig({})).toThrow(new ChannelConfigError('url: is required'));
    expect(() => slack.parseConfig(42)).toThrow(new ChannelConfigError('configuration must be a JSON object'));
    expect(slack.isNoop(config(), 'down')).toBe(false);
    expect(slack.isNoop(config(), 'up')).toBe(false);
  });

  it('treats 404 and 400 invalid_token as permanent, other failures as transient', async () => {
    stand.server.replyOnce(
      { status: 404, body: 'no_service' },
      { status: 400, body: 'invalid_token' },
      { status: 400, body: 'invalid_payload' },
      { status: 500, body: '<html>oops</html>' },
    );
    const env = stand.env();
    await expectTransportError(slack.send(config(), downAlert(), env), 'Received status code 404 with a message: "no_service"', true);
    await expectTransportError(slack.send(config(), downAlert(), env), 'Received status code 400 with a message: "invalid_token"', true);
    await expectTransportError(slack.send(config(), downAlert(), env), 'Received status code 400 with a message: "invalid_payload"');
    await expectTransportError(slack.send(config(), downAlert(), env), 'Received status code 500');
  });

  it('can be switched off with SLACK_ENABLED=false', async () => {
    await expectTransportError(
      slack.send(config(), downAlert(), stand.env({ SLACK_ENABLED: 'false' })),
      'Slack notifications are not enabled',
    );
    expect(stand.server.requests).toHaveLength(0);
  });
});
