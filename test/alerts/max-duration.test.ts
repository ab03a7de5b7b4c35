// Runs with max_duration end to end, on both databases: a real server on a ManualClock, pings and
// API calls over HTTP, the server's own detector and delivery workers, and a stand-in webhook.
// A /start arms the run's deadline in the same commit as the ping, so that the detector (which
// sleeps until the earliest alert_after) wakes for it; a run that is not finished is reported stuck
// at start + max_duration, timestamped then, and never down at start + grace when max_duration is
// longer. The internal metrics name the notification that went out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ApiClient } from '../support/api-client.js';
import { apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import { eventually } from '../support/manual-sleep.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import type { StandIn } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';

// The stand-in listens on 127.0.0.1, which integrations refuse unless the operator allows it.
process.env.INTEGRATIONS_ALLOW_PRIVATE_IPS = 'true';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const METRICS_KEY = 'metrics-key-for-max-duration';
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

describe.each(DIALECTS)('runs with max_duration over HTTP on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2030, 5, 1, 3, 0, 0));
  let server: TestServer;
  let standIn: StandIn;
  let api: ApiClient;
  let project: TestProject;

  beforeAll(async () => {
    standIn = await startStandIn();
    server = await startTestServer(dialect, { clock, env: { METRICS_KEY } });
    api = apiClient(server);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
    await standIn?.close();
  });

  /** A daily check alerting a webhook at `path`, pinged once, its run started an hour later. */
  async function startedRun(path: string, fields: Record<string, unknown>): Promise<{ uuid: string; start: number }> {
    const channel = await api.post(
      '/channels/',
      { kind: 'webhook', name: path, config: { method_down: 'POST', url_down: `${standIn.url}${path}`, body_down: '$CODE $STATUS $NOW' } },
      project.apiKey,
    );
    expect(channel.status).toBe(201);
    const check = await server.createCheck(project, { timeout: 86_400, ...fields, channels: channel.json.id });
    expect((await server.fetch(`/ping/${check.uuid}`)).status).toBe(200);
    clock.advance(HOUR);
    const start = clock.now();
    expect((await server.fetch(`/ping/${check.uuid}/start`)).status).toBe(200);
    return { uuid: check.uuid as string, start };
  }

  const storedDeadline = async (uuid: string) =>
    (await server.store.db.selectFrom('checks').select('alert_after').where('code', '=', uuid).executeTakeFirstOrThrow()).alert_after;
  const status = async (uuid: string, version = 3) => (await api.get(`/api/v${version}/checks/${uuid}`, project.apiKey)).json.status;
  const flips = async (uuid: string) => (await api.get(`/checks/${uuid}/flips/`, project.apiKey)).json.flips;
  const hooks = (path: string) => standIn.requests.filter((r) => r.path === path).map((r) => r.body);
  /** What the detector does on its next turn, done now rather than within its next second. */
  const detect = () => server.alerting.scheduler.runDue();

  it('max_duration 120 < grace 600: stuck at start + 120 s, announced and timestamped then', async () => {
    const { uuid, start } = await startedRun('/short', { grace: 600, max_duration: 120 });
    // The ping armed the earlier deadline: the detector's next wake-up is the stuck moment.
    expect(await storedDeadline(uuid)).toBe(start + 2 * MINUTE);

    clock.set(start + 2 * MINUTE - 1);
    await detect();
    expect(await status(uuid)).toBe('up');
    expect(await status(uuid, 1)).toBe('started');

    // Noticed half a minute late, by the server's own loop.
    clock.set(start + 2 * MINUTE + 30 * SECOND);
    await eventually(() => hooks('/short').length === 1, 10_000);
    expect(hooks('/short')).toEqual([`${uuid} down ${iso(start + 2 * MINUTE)}`]);
    expect(await status(uuid)).toBe('down');
    expect(await flips(uuid)).toEqual([
      { timestamp: iso(start + 2 * MINUTE), up: 0 },
      { timestamp: iso(start - HOUR), up: 1 },
    ]);
    const log = await api.get(`/checks/${uuid}/notifications/`, project.apiKey);
    expect(log.json.notifications).toMatchObject([{ status: 'down', reason: 'stuck', event_time: iso(start + 2 * MINUTE) }]);
    expect(await storedDeadline(uuid)).toBeNull();

    // The metrics name the newest notification row: this one.
    const newest = await server.store.db.selectFrom('notifications').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const metrics = await api.request('GET', '/metrics/', { headers: { 'X-Metrics-Key': METRICS_KEY } });
    expect(metrics.json).toMatchObject({ max_notification_id: Number(newest.id) });
  });

  it('seed 003 (grace 600, max_duration 1800): nothing at start + 600 s, stuck at start + 1800 s', async () => {
    const { uuid, start } = await startedRun('/seed', { grace: 600, max_duration: 1800, alert_on_long: true });
    expect(await storedDeadline(uuid)).toBe(start + 30 * MINUTE);

    for (const at of [start + 10 * MINUTE, start + 20 * MINUTE, start + 30 * MINUTE - 1]) {
      clock.set(at);
      const summary = await detect();
      expect(summary.down).toBe(0);
      expect(await status(uuid)).toBe('up');
      expect(await status(uuid, 1)).toBe('started');
    }
    expect(hooks('/seed')).toEqual([]);
    expect(await flips(uuid)).toHaveLength(1);

    clock.set(start + 30 * MINUTE);
    await detect();
    await eventually(() => hooks('/seed').length === 1, 10_000);
    expect(hooks('/seed')).toEqual([`${uuid} down ${iso(start + 30 * MINUTE)}`]);
    expect(await status(uuid)).toBe('down');
    expect((await flips(uuid))[0]).toEqual({ timestamp: iso(start + 30 * MINUTE), up: 0 });
    const log = await api.get(`/checks/${uuid}/notifications/`, project.apiKey);
    expect(log.json.notifications).toMatchObject([{ status: 'down', reason: 'stuck', event_time: iso(start + 30 * MINUTE) }]);
  });

  it('without max_duration a start still goes down at start + grace, as in Healthchecks', async () => {
    const { uuid, start } = await startedRun('/plain', { grace: 600 });
    expect(await storedDeadline(uuid)).toBe(start + 10 * MINUTE);
    clock.set(start + 10 * MINUTE);
    await detect();
    await eventually(() => hooks('/plain').length === 1, 10_000);
    const log = await api.get(`/checks/${uuid}/notifications/`, project.apiKey);
    expect(log.json.notifications).toMatchObject([{ status: 'down', reason: 'timeout', event_time: iso(start + 10 * MINUTE) }]);
  });

  it('an API change of max_duration moves the deadline of a run in progress', async () => {
    const { uuid, start } = await startedRun('/changed', { grace: 600 });
    expect(await storedDeadline(uuid)).toBe(start + 10 * MINUTE);
    expect((await api.post(`/checks/${uuid}`, { max_duration: 120 }, project.apiKey)).status).toBe(200);
    expect(await storedDeadline(uuid)).toBe(start + 2 * MINUTE);
    clock.set(start + 2 * MINUTE);
    await detect();
    await eventually(() => hooks('/changed').length === 1, 10_000);
    const log = await api.get(`/checks/${uuid}/notifications/`, project.apiKey);
    expect(log.json.notifications).toMatchObject([{ status: 'down', reason: 'stuck', event_time: iso(start + 2 * MINUTE) }]);
  });
});
