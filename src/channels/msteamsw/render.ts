// An Adaptive Card wrapped as a Teams Workflows ("Post to a channel when a webhook request is
// received") message.
import { checkFacts, headline, lastPingBody, summarySentences, viewLabel } from '../text.js';
import type { AlertContext } from '../types.js';

export function teamsWorkflowPayload(alert: AlertContext): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `${headline(alert)}.`,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      color: alert.event.status === 'up' ? 'Good' : 'Attention',
    },
    ...summarySentences(alert).map((text) => ({ type: 'TextBlock', text, wrap: true })),
    { type: 'FactSet', facts: checkFacts(alert).map((f) => ({ title: f.label, value: f.value })) },
  ];
  const pingBody = lastPingBody(alert);
  if (pingBody !== null) {
    body.push(
      { type: 'TextBlock', text: 'Last ping body', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: pingBody, fontType: 'Monospace', wrap: true },
    );
  }
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
          actions: [{ type: 'Action.OpenUrl', title: viewLabel(alert), url: alert.check.detailsUrl }],
        },
      },
    ],
  };
}
