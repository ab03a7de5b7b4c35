// The Slack-style attachment payload for the fixture alerts, written out; shared by the Slack,
// Mattermost, Rocket.Chat and Discord tests.
import { DETAILS_URL } from './fixtures.js';

const commonFields = [
  { title: 'Description', value: 'Dumps the main database', short: false },
  { title: 'Project', value: 'Backups', short: true },
  { title: 'Tags', value: 'prod db', short: true },
  { title: 'Period', value: '1 day', short: true },
  { title: 'Grace time', value: '1 hour', short: true },
];

export function slackDownPayload(identity: 'username' | 'alias' = 'username') {
  return {
    [identity]: 'Lookout',
    attachments: [
      {
        color: '#d9534f',
        fallback: '“Nightly backup” is DOWN.',
        title: '“Nightly backup” is DOWN.',
        title_link: DETAILS_URL,
        text: 'No ping arrived in time.',
        mrkdwn_in: ['fields', 'text'],
        fields: [
          ...commonFields,
          { title: 'Last ping', value: 'Success, 2025-01-01 03:00:00 UTC', short: true },
          { title: 'Total pings', value: '42', short: true },
          { title: 'Last ping body', value: '```\nbackup finished\n```', short: false },
        ],
      },
    ],
  };
}

export function slackUpPayload(identity: 'username' | 'alias' = 'username') {
  return {
    [identity]: 'Lookout',
    attachments: [
      {
        color: '#5cb85c',
        fallback: '“Nightly backup” is UP.',
        title: '“Nightly backup” is UP.',
        title_link: DETAILS_URL,
        text: 'The downtime lasted 2 hours 5 minutes.',
        mrkdwn_in: ['fields', 'text'],
        fields: [
          ...commonFields,
          { title: 'Last ping', value: 'Success, 2025-01-02 06:05:00 UTC', short: true },
          { title: 'Total pings', value: '43', short: true },
          { title: 'Last ping body', value: '```\nbackup finished late\n```', short: false },
        ],
      },
    ],
  };
}
