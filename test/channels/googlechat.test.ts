// Google Chat incoming webhooks (cardsV2).
import { describe, expect, it } from 'vitest';
import { googlechat } from '../../src/channels/googlechat/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { DETAILS_URL, NOTIFICATION_ID, downAlert, expectTransportError, upAlert, useStandIn } from './fixtures.js';

function payload(title: string, subtitle: string, lastPing: string, total: string, body: string) {
  const fact = (topLabel: string, text: string) => ({ decoratedText: { topLabel, text, wrapText: true } });
  return {
    cardsV2: [
      {
        cardId: `lookout-${NOTIFICATION_ID}`,
        card: {
          header: { title, subtitle },
          sections: [
            {
              widgets: [
                fact('Description', 'Dumps the main database'),
                fact('Project', 'Backups'),
                fact('Tags', 'prod db'),
                fact('Period', '1 day'),
                fact('Grace time', '1 hour'),
                fact('Last ping', lastPing),
                fact('Total pings', total),
              ],
            },
            { header: 'Last ping body', widgets: [{ textParagraph: { text: body } }] },
            {
              widgets: [
                { buttonList: { buttons: [{ text: 'View on Lookout', onClick: { openLink: { url: DETAILS_URL } } }] } },
              ],
            },
          ],
        },
      },
    ],
  };
}

describe('googlechat', () => {
  const stand = useStandIn();
  const config = () => googlechat.parseConfig(`${stand.server.url}/v1/spaces/AAA/messages?key=k&token=t`);

  it('posts a card for a down alert', async () => {
    await googlechat.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/spaces/AAA/messages', query: { key: 'k', token: 't' } });
    expect(request?.json()).toEqual(
      payload('“Nightly backup” is DOWN.', 'No ping arrived in time.', 'Success, 2025-01-01 03:00:00 UTC', '42', 'backup finished'),
    );
  });

  it('posts a card for an up alert', async () => {
    await googlechat.send(config(), upAlert(), stand.env());
    expect(stand.server.requests[0]?.json()).toEqual(
      payload(
        '“Nightly backup” is UP.',
        'The downtime lasted 2 hours 5 minutes.',
        'Success, 2025-01-02 06:05:00 UTC',
        '43',
        'backup finished late',
      ),
    );
  });

  it('escapes HTML in card text', async () => {
    const alert = downAlert();
    alert.project.name = '<R&D>';
    await googlechat.send(config(), alert, stand.env());
    const widgets = stand.server.requests[0]?.json().cardsV2[0].card.sections[0].widgets;
    expect(widgets[1]).toEqual({ decoratedText: { topLabel: 'Project', text: '&lt;R&amp;D&gt;', wrapText: true } });
  });

  it('validates its URL and is never a no-op', () => {
    expect(() => googlechat.parseConfig('chat.googleapis.com/v1')).toThrow(new ChannelConfigError('url: must be an http or https URL'));
    expect(googlechat.isNoop(config(), 'down')).toBe(false);
  });

  it('treats 404 as permanent, quoting Google’s message', async () => {
    stand.server.replyOnce(
      { status: 404, body: { error: { code: 404, message: 'Space not found', status: 'NOT_FOUND' } } },
      { status: 503, body: 'unavailable' },
    );
    await expectTransportError(
      googlechat.send(config(), downAlert(), stand.env()),
      'Received status code 404 with a message: "Space not found"',
      true,
    );
    await expectTransportError(googlechat.send(config(), downAlert(), stand.env()), 'Received status code 503');
  });
});
