// The shared wording and its plain, Markdown and HTML layouts.
import { describe, expect, it } from 'vitest';
import { htmlMessage, markdownMessage, plainMessage } from '../../src/channels/markup.js';
import {
  formatDuration,
  lastPingText,
  reasonSentence,
  shortText,
  subjectLine,
} from '../../src/channels/text.js';
import type { AlertContext, AlertReason } from '../../src/channels/types.js';
import { HTML_DOWN, HTML_UP, MARKDOWN_DOWN, MARKDOWN_UP, PLAIN_DOWN, PLAIN_UP, downAlert, upAlert } from './fixtures.js';

function withReason(reason: AlertReason, exitStatus: number | null = null): AlertContext {
  const alert = downAlert();
  return { ...alert, event: { ...alert.event, reason }, lastPing: { kind: 'fail', body: null, exitStatus } };
}

describe('alert wording', () => {
  it('formats durations with every non-zero unit', () => {
    expect(formatDuration(0)).toBe('0 seconds');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(7500)).toBe('2 hours 5 minutes');
    expect(formatDuration(86400 * 8 + 61)).toBe('1 week 1 day 1 minute 1 second');
  });

  it('explains every reason', () => {
    expect(reasonSentence(withReason('timeout'))).toBe('No ping arrived in time.');
    expect(reasonSentence(withReason('fail'))).toBe('The job reported a failure.');
    expect(reasonSentence(withReason('fail', 3))).toBe('The job reported a failure (exit status 3).');
    expect(reasonSentence(withReason('stuck'))).toBe('The job started but did not finish in time.');
    expect(reasonSentence(withReason('long'))).toBe('The job ran longer than its maximum duration.');
    expect(reasonSentence(withReason('short'))).toBe('The job finished sooner than expected.');
    expect(reasonSentence(withReason('reminder'))).toBe('Reminder: the check is still down.');
    expect(reasonSentence(withReason('flapping'))).toBe(
      'The check is flapping: it changed state several times in a short while.',
    );
    expect(reasonSentence(withReason(''))).toBeNull();
  });

  it('describes the last ping with its kind and exit status, or Never', () => {
    expect(lastPingText(withReason('fail', 3))).toBe('Failure (exit status 3), 2025-01-01 03:00:00 UTC');
    const never = downAlert();
    never.check.lastPing = null;
    expect(lastPingText(never)).toBe('Never');
  });

  it('uses Healthchecks’ subject format and a one-line summary', () => {
    expect(subjectLine(downAlert())).toBe('DOWN | Nightly backup');
    expect(subjectLine(upAlert())).toBe('UP | Nightly backup');
    expect(shortText(downAlert())).toBe('Lookout: “Nightly backup” is DOWN. No ping arrived in time.');
    expect(shortText(upAlert())).toBe('Lookout: “Nightly backup” is UP. The downtime lasted 2 hours 5 minutes.');
  });

  it('falls back to the UUID for unnamed checks and shows cron schedules with their time zone', () => {
    const alert = downAlert();
    alert.check = { ...alert.check, name: '', kind: 'cron', schedule: '0 3 * * *', tz: 'Europe/Riga', description: '' };
    alert.project.name = '';
    alert.lastPing = null;
    expect(plainMessage(alert)).toBe(`“${alert.check.code}” is DOWN.
No ping arrived in time.

Tags: prod db
Schedule: 0 3 * * *
Time zone: Europe/Riga
Grace time: 1 hour
Last ping: 2025-01-01 03:00:00 UTC
Total pings: 42

View on Lookout: ${alert.check.detailsUrl}`);
  });
});

describe('message layouts', () => {
  it('renders plain text', () => {
    expect(plainMessage(downAlert())).toBe(PLAIN_DOWN);
    expect(plainMessage(upAlert())).toBe(PLAIN_UP);
  });

  it('renders Markdown', () => {
    expect(markdownMessage(downAlert())).toBe(MARKDOWN_DOWN);
    expect(markdownMessage(upAlert())).toBe(MARKDOWN_UP);
  });

  it('renders HTML', () => {
    expect(htmlMessage(downAlert())).toBe(HTML_DOWN);
    expect(htmlMessage(upAlert())).toBe(HTML_UP);
  });

  it('escapes user text in Markdown and HTML and keeps ping bodies inside their fence', () => {
    const alert = downAlert();
    alert.check.name = '<b>*x*</b> & co';
    alert.check.description = '';
    alert.lastPing = { kind: null, body: 'a ``` b', exitStatus: null };
    expect(htmlMessage(alert)).toContain('<b>“&lt;b&gt;*x*&lt;/b&gt; &amp; co” is DOWN.</b>');
    expect(markdownMessage(alert)).toContain('**“\\<b\\>\\*x\\*\\</b\\> & co” is DOWN.**');
    expect(markdownMessage(alert)).toContain('````\na ``` b\n````');
  });

  it('cuts long ping bodies at 1000 characters', () => {
    const alert = downAlert();
    alert.lastPing = { kind: null, body: 'x'.repeat(1500), exitStatus: null };
    expect(plainMessage(alert)).toContain(`Last ping body:\n${'x'.repeat(1000)}\n[truncated]\n\n`);
  });
});
