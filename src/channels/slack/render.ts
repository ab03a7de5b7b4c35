// The Slack incoming-webhook payload (an attachment with the check's facts as fields). Mattermost,
// Rocket.Chat and Discord's /slack endpoint accept the same format, so all four share it.
import { checkFacts, headline, lastPingBody, summarySentences } from '../text.js';
import type { AlertContext } from '../types.js';

const COLORS = { up: '#5cb85c', down: '#d9534f' } as const;

/** Slack's three control characters in message text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface SlackField {
  title: string;
  value: string;
  short: boolean;
}

function fields(alert: AlertContext): SlackField[] {
  const list = checkFacts(alert).map((f) => ({
    title: f.label,
    value: f.code ? `\`${escapeSlack(f.value)}\`` : escapeSlack(f.value),
    short: !f.long,
  }));
  const body = lastPingBody(alert);
  // A body holding a fence would break out of the code block, so it is left out.
  if (body !== null && !body.includes('```')) {
    list.push({ title: 'Last ping body', value: `\`\`\`\n${escapeSlack(body)}\n\`\`\``, short: false });
  }
  return list;
}

/**
 * The payload; `identity` names the field that sets the sender's display name (`username` for
 * Slack, Mattermost and Discord, `alias` for Rocket.Chat).
 */
export function slackPayload(alert: AlertContext, identity: 'username' | 'alias' = 'username'): Record<string, unknown> {
  const title = escapeSlack(`${headline(alert)}.`);
  const summary = summarySentences(alert).join(' ');
  return {
    [identity]: alert.site.name,
    attachments: [
      {
        color: COLORS[alert.event.status],
        fallback: title,
        title,
        title_link: alert.check.detailsUrl,
        ...(summary ? { text: escapeSlack(summary) } : {}),
        mrkdwn_in: ['fields', 'text'],
        fields: fields(alert),
      },
    ],
  };
}
