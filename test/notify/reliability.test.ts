// Delivery guarantees with real servers on both databases: a server killed between a flip and its
// delivery, targets that fail or never answer, and two servers sharing one PostgreSQL. Alerts go
// to a stand-in webhook through the real webhook integration.
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChildServer } from '../../bench/support.js';
import { spawnLookout } from '../../bench/support.js';
import { ManualClock } from '../../src/clock.js';
import type { Store } from '../../src/store/database.js';
import { migrate, openStore } from '../../src/store/database.js';
import type { ChannelRow, CheckRow, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newDatabaseUrl } from '../support/databases.js';
import { eventually } from '../support/manual-sleep.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import type { StandIn } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';
import { addChannel, addCheck, seedProject } from '../alerts/support.js';

// The stand-in listens on 127.0.0.1, which integrations refuse unless the operator allows it.
process.env.INTEGRATIONS_ALLOW_PRIVATE_IPS = 'true';
const CHILD_ENV = { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true', NOTIFY_TIMEOUT: '1', LOG_LEVEL: 'error' };

function webhookConfig(standIn: StandIn, path: string) {
  return { method_down: 'POST', url_down: `${standIn.url}${path}`, body_down: '$CODE $STATUS' };
}

describe.each(DIALECTS)('delivery across crashes and processes on %s', (dialect) => {
  let standIn: StandIn;
  const children: ChildServer[] = [];
  const stores: Store[] = [];

  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.process.kill('SIGKILL');
    for (const store of stores.splice(0)) await store.close();
  });
  afterAll(async () => {
    await standIn?.close();
  });

  /** A fresh database with a project whose checks alert a stand-in webhook. */
  async function database(): Promise<{ url: string; store: Store; project: ProjectRow }> {
    const url = await newDatabaseUrl(dialect);
    const store = openStore(url);
    stores.push(store);
    await migrate(store);
    return { url, store, project: await seedProject(store) };
  }

  async function spawn(url: string): Promise<ChildServer> {
    const child = await spawnLookout(url, CHILD_ENV);
    children.push(child);
    return child;
  }

  /** A check that goes down `inMs` from now (period 1 s, grace 1 s). */
  async function checkDueIn(store: Store, project: ProjectRow, channels: ChannelRow[], inMs: number) {
    const now = Date.now();
    return addCheck(store, project, { timeout: 1, grace: 1, status: 'up', last_ping: now + inMs - 2000, alert_after: now + inMs }, channels);
  }

  const requestsFor = (code: string) => standIn.requests.filter((r) => r.body === `${code} down`);

  it('delivers exactly once after the server is killed between the flip and the delivery', { timeout: 90_000 }, async () => {
    const { url, store, project } = await database();
    const channel = await addChannel(store, project, 'webhook', webhookConfig(standIn, '/crash'));
    const check = await checkDueIn(store, project, [channel], 3_000);
    standIn.replyOnce('hang');

    const first = await spawn(url);
    await eventually(() => requestsFor(check.code).length === 1, 30_000);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    const [row] = await store.db.selectFrom('notifications').selectAll().where('check_id', '=', check.id).execute();
    expect(row).toMatchObject({ state: 'sending', attempts: 1 });

    // The restarted server takes the notification over once the dead one's lease has ended.
    await spawn(url);
    await eventually(async () => (await store.db.selectFrom('notifications').select('state').where('check_id', '=', check.id).executeTakeFirst())?.state === 'sent', 30_000);
    // Longer than a lease: nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(requestsFor(check.code)).toHaveLength(2);
    expect(await store.db.selectFrom('flips').select('id').where('check_id', '=', check.id).execute()).toHaveLength(1);
    expect(await store.db.selectFrom('notifications').selectAll().where('check_id', '=', check.id).execute()).toMatchObject([
      { state: 'sent', attempts: 2, error: '' },
    ]);
  });

  it('delivers a notification written just before a crash, once, when the server starts', { timeout: 60_000 }, async () => {
    const { url, store, project } = await database();
    const channel = await addChannel(store, project, 'webhook', webhookConfig(standIn, '/queued'));
    // What a killed server leaves behind: the check down, its flip and its notification, unsent.
    const check = await addCheck(store, project, { status: 'down', last_ping: Date.now() - 5_000 }, [channel]);
    await store.db
      .insertInto('flips')
      .values({ check_id: check.id, created: Date.now() - 3_000, processed: Date.now() - 3_000, old_status: 'up', new_status: 'down', reason: 'timeout', alerted: 1 })
      .execute();
    await store.db
      .insertInto('notifications')
      .values({ code: crypto.randomUUID(), check_id: check.id, channel_id: channel.id, status: 'down', reason: 'timeout', event_at: Date.now() - 3_000, created: Date.now() - 3_000, next_attempt_at: Date.now() - 3_000 })
      .execute();

    await spawn(url);
    await eventually(() => requestsFor(check.code).length === 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(requestsFor(check.code)).toHaveLength(1);
  });

  if (dialect === 'postgres') {
    it('makes one flip and one delivery per channel when two servers share the database', { timeout: 90_000 }, async () => {
      const { url, store, project } = await database();
      const channels = [
        await addChannel(store, project, 'webhook', webhookConfig(standIn, '/shared-a')),
        await addChannel(store, project, 'webhook', webhookConfig(standIn, '/shared-b')),
      ];
      await Promise.all([spawn(url), spawn(url)]);
      const checks: CheckRow[] = [];
      for (let i = 0; i < 40; i++) checks.push(await checkDueIn(store, project, channels, 3_000 + i * 25));
      await eventually(() => checks.every((c) => requestsFor(c.code).length === 2), 30_000);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      for (const check of checks) {
        expect(requestsFor(check.code).map((r) => r.path).sort()).toEqual(['/shared-a', '/shared-b']);
      }
      const flips = await store.db.selectFrom('flips').select('check_id').where('check_id', 'in', checks.map((c) => c.id)).execute();
      expect(flips).toHaveLength(checks.length);
    });
  }
});

describe.each(DIALECTS)('failing and silent targets on %s', (dialect) => {
  let server: TestServer;
  let standIn: StandIn;
  const clock = new ManualClock(Date.UTC(2030, 0, 1));

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock, env: { NOTIFY_TIMEOUT: '1' } });
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await server?.close();
    await standIn?.close();
  });

  async function failingCheckWith(paths: string[]): Promise<{ uuid: string; channels: string[] }> {
    const project = await server.newProject();
    const channels: string[] = [];
    for (const path of paths) {
      const view = await server.alerting.channels.create(project.project, { kind: 'webhook', config: webhookConfig(standIn, path) });
      channels.push(view.channel.code);
    }
    const check = await server.createCheck(project, { channels: channels.join(',') });
    expect((await server.fetch(`/ping/${check.uuid}/fail`)).status).toBe(200);
    return { uuid: check.uuid as string, channels };
  }

  const hits = (path: string) => standIn.requests.filter((r) => r.path === path).length;

  async function notificationOf(channelCode: string) {
    return server.store.db
      .selectFrom('notifications')
      .innerJoin('channels', 'channels.id', 'notifications.channel_id')
      .selectAll('notifications')
      .where('channels.code', '=', channelCode)
      .executeTakeFirst();
  }

  it('retries a target that answers 500 with backoff, then gives up, while another channel is served', { timeout: 60_000 }, async () => {
    standIn.replyAlways((request) => (request.path === '/broken' ? { status: 500 } : { status: 200 }));
    const { channels } = await failingCheckWith(['/broken', '/fine']);
    // Both outcomes recorded before the clock moves past their claims' leases.
    await eventually(async () => (await notificationOf(channels[1] as string))?.state === 'sent');
    await eventually(async () => (await notificationOf(channels[0] as string))?.error === 'Received status code 500');
    expect(await notificationOf(channels[0] as string)).toMatchObject({ state: 'pending', attempts: 1 });

    for (const [attempt, delay] of [5_000, 20_000, 80_000, 320_000].entries()) {
      const waiting = await notificationOf(channels[0] as string);
      expect(waiting).toMatchObject({ state: 'pending', attempts: attempt + 1, next_attempt_at: clock.now() + delay });
      clock.advance(delay);
      server.alerting.delivery.nudge();
      await eventually(async () => (await notificationOf(channels[0] as string))?.attempts === attempt + 2);
      await eventually(async () => (await notificationOf(channels[0] as string))?.state !== 'sending');
    }
    expect(hits('/broken')).toBe(5);
    expect(await notificationOf(channels[0] as string)).toMatchObject({ attempts: 5, error: 'Received status code 500' });
    expect(await notificationOf(channels[1] as string)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(hits('/fine')).toBe(1);
  });

  it('times out a target that never answers without delaying the others', { timeout: 30_000 }, async () => {
    standIn.replyAlways((request) => (request.path === '/silent' ? 'hang' : { status: 200 }));
    const { channels } = await failingCheckWith(['/silent', '/prompt']);
    await eventually(() => hits('/prompt') === 1);
    // Served while the silent target still holds its attempt (one second, NOTIFY_TIMEOUT=1).
    expect(await notificationOf(channels[0] as string)).toMatchObject({ state: 'sending', attempts: 1 });
    await eventually(async () => (await notificationOf(channels[1] as string))?.state === 'sent');
    await eventually(async () => (await notificationOf(channels[0] as string))?.error === 'Connection timed out');
    expect(await notificationOf(channels[0] as string)).toMatchObject({ state: 'pending', attempts: 1 });
  });
});
