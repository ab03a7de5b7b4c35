// Microsoft Teams Workflows webhooks (Adaptive Cards).
import { describe, expect, it } from 'vitest';
import { msteamsw } from '../../src/channels/msteamsw/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

function card(body: unknown[]) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'View on Lookout', url: DETAILS_URL }],
        },
      },
    ],
  };
}

const facts = (lastPing: string, total: string) => ({
  type: 'FactSet',
  facts: [
    { title: 'Description', value: 'Dumps the main database' },
    { title: 'Project', value: 'Backups' },
    { title: 'Tags', value: 'prod db' },
    { title: 'Period', value: '1 day' },
    { title: 'Grace time', value: '1 hour' },
    { title: 'Last ping', value: lastPing },
    { title: 'Total pings', value: total },
  ],
});

describe('msteamsw', () => {
  const stand = useStandIn();
  const config = () => msteamsw.parseConfig({ url: `${stand.server.url}/workflows/abc/triggers/manual/paths/invoke?sig=x` });

  it('posts an Adaptive Card for a down alert', async () => {
    await msteamsw.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/workflows/abc/triggers/manual/paths/invoke', query: { sig: 'x' } });
    expect(request?.json()).toEqual(
      card([
        { type: 'TextBlock', text: '“Nightly backup” is DOWN.', weight: 'Bolder', size: 'Medium', wrap: true, color: 'Attention' },
        { type: 'TextBlock', text: 'No ping arrived in time.', wrap: true },
        facts('Success, 2025-01-01 03:00:00 UTC', '42'),
        { type: 'TextBlock', text: 'Last ping body', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: 'backup finished', fontType: 'Monospace', wrap: true },
      ]),
    );
  });

  it('posts an Adaptive Card for an up alert', async () => {
    await msteamsw.send(config(), upAlert(), stand.env());
    expect(stand.server.requests[0]?.json()).toEqual(
      card([
        { type: 'TextBlock', text: '“Nightly backup” is UP.', weight: 'Bolder', size: 'Medium', wrap: true, color: 'Good' },
        { type: 'TextBlock', text: 'The downtime lasted 2 hours 5 minutes.', wrap: true },
        facts('Success, 2025-01-02 06:05:00 UTC', '43'),
        { type: 'TextBlock', text: 'Last ping body', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: 'backup finished late', fontType: 'Monospace', wrap: true },
      ]),
    );
  });

  it('validates its URL and is never a no-op', () => {
    expect(() => msteamsw.parseConfig({ url: 5 })).toThrow(new ChannelConfigError('url: must be a string'));
    expect(msteamsw.isNoop(config(), 'up')).toBe(false);
  });

  it('treats 404 as permanent and other failures as transient', async () => {
    stand.server.replyOnce({ status: 404 }, { status: 400 });
    await expectTransportError(msteamsw.send(config(), downAlert(), stand.env()), 'Received status code 404', true);
    await expectTransportError(msteamsw.send(config(), downAlert(), stand.env()), 'Received status code 400');
    await expectTransportError(
      msteamsw.send(config(), downAlert(), stand.env({ MSTEAMS_ENABLED: 'false' })),
      'Microsoft Teams notifications are not enabled',
    );
  });
});
