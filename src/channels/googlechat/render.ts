// A Google Chat card (cardsV2) for an incoming webhook.
import { escapeHtml } from '../markup.js';
import { checkFacts, headline, lastPingBody, summarySentences, viewLabel } from '../text.js';
import type { AlertContext } from '../types.js';

export function googleChatPayload(alert: AlertContext): Record<string, unknown> {
  const summary = summarySentences(alert).join(' ');
  const sections: Record<string, unknown>[] = [
    {
      widgets: checkFacts(alert).map((f) => ({
        decoratedText: { topLabel: f.label, text: escapeHtml(f.value), wrapText: true },
      })),
    },
  ];
  const body = lastPingBody(alert);
  if (body !== null) {
    sections.push({ header: 'Last ping body', widgets: [{ textParagraph: { text: escapeHtml(body) } }] });
  }
  sections.push({
    widgets: [{ buttonList: { buttons: [{ text: viewLabel(alert), onClick: { openLink: { url: alert.check.detailsUrl } } }] } }],
  });
  return {
    cardsV2: [
      {
        cardId: `lookout-${alert.event.notificationId}`,
        card: {
          header: { title: `${headline(alert)}.`, ...(summary ? { subtitle: summary } : {}) },
          sections,
        },
      },
    ],
  };
}
