// Delivery through the production integrations, with the sends on the delivery workers' thread and
// on a thread of their own (as the server runs them): a group reaches its members, a corrected
// configuration is stored, and the sender thread keeps to the per-channel share, is handed a
// reserve of claimed rows, and hands back what it has not started when delivery stops.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttp } from '../../src/channels/http.js';
import { channelDefinition } from '../../src/channels/registry.js';
import { systemClock } from '../../src/clock.js';
import type { DeliveryOptions } from '../../src/notify/delivery.js';
import { ThreadSender } from '../../src/notify/thread-sender.js';
import type { Store } from '../../src/store/database.js';
import type { AlertSubject } from '../../src/store/notifications.js';
import type { ChannelRow, ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import type { StandIn } from '../support/stand-in.js';
import { startStandIn } from '../support/stand-in.js';
import { MINUTE, addChannel, addCheck, alertingFor, notificationsOf, seedProject } from '../alerts/support.js';

const registry = { get: channelDefinition };

type SenderKind = 'on the workers’ thread' | 'on a thread of its own';
const SENDERS: SenderKind[] = ['on the workers’ thread', 'on a thread of its own'];

function deliveryOptions(kind: SenderKind, settings: Record<string, string>, extra: Partial<DeliveryOptions> = {}): Partial<DeliveryOptions> {
  const attemptTimeoutMs = extra.attemptTimeoutMs ?? 2_000;
  const tools = { http: new OutboundHttp({ allowPrivate: true }), settings };
  if (kind === 'on the workers’ thread') return { tools, attemptTimeoutMs, ...extra };
  const sender = new ThreadSender({
    settings: { ...settings, INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true' },
    attemptTimeoutMs,
    site: { name: 'Lookout', root: 'http://lookout.test' },
    pingEndpoint: 'http://lookout.test/ping/',
  });
  return { tools, sender, attemptTimeoutMs, ...extra };
}

describe.each(DIALECTS)('sending on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  let stand: StandIn;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    stand = await startStandIn();
  });
  afterAll(async () => {
    await stand?.close();
    await store?.close();
  });

  /** A check that is overdue now, with these channels. */
  function overdueCheck(channels: ChannelRow[], name = 'nightly backup') {
    const base = Date.now() - 10 * MINUTE;
    return addCheck(store, project, { name, timeout: 60, grace: 60, status: 'up', last_ping: base, alert_after: base + 2 * MINUTE }, channels);
  }

  function webhook(path: string, url = stand.url): Promise<ChannelRow> {
    return addChannel(store, project, 'webhook', { method_down: 'POST', url_down: `${url}${path}`, body_down: '$NAME' });
  }

  describe.each(SENDERS)('%s', (senderKind) => {
    it("sends a group's alert through each enabled member, and nothing through the others", async () => {
      stand.reset();
      const [first, second, disabled] = [await webhook('/first'), await webhook('/second'), await webhook('/disabled')];
      await store.db.updateTable('channels').set({ disabled: 1 }).where('id', '=', disabled.id).execute();
      const group = await addChannel(store, project, 'group', { channels: [first.code, second.code, disabled.code] });
      const check = await overdueCheck([group], 'group member test');
      const alerting = alertingFor(store, systemClock, registry, deliveryOptions(senderKind, {}));
      try {
        await alerting.tick();
      } finally {
        await alerting.delivery.stop();
      }
      expect(stand.requests.map((r) => [r.method, r.path, r.body]).sort()).toEqual([
        ['POST', '/first', 'group member test'],
        ['POST', '/second', 'group member test'],
      ]);
      expect((await notificationsOf(store, check.id)).map((n) => [n.channel_id, n.state, n.error])).toEqual([[group.id, 'sent', '']]);
    });

    it('stores the new chat id Telegram reports after a chat migration, and sends there', async () => {
      stand.reset();
      stand.replyOnce({
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -100999 } },
      });
      const telegram = await addChannel(store, project, 'telegram', { id: -55 });
      const check = await overdueCheck([telegram]);
      const settings = { TELEGRAM_TOKEN: '123:ABC', TELEGRAM_API_URL: `${stand.url}/tg/` };
      const alerting = alertingFor(store, systemClock, registry, deliveryOptions(senderKind, settings));
      try {
        await alerting.tick();
      } finally {
        await alerting.delivery.stop();
      }
      expect(stand.requests.map((r) => r.json().chat_id)).toEqual([-55, -100999]);
      const stored = await store.db.selectFrom('channels').select('value').where('id', '=', telegram.id).executeTakeFirstOrThrow();
      expect(JSON.parse(stored.value)).toEqual({ id: -100999, thread_id: null });
      expect((await notificationsOf(store, check.id)).map((n) => n.state)).toEqual(['sent']);
    });
  });

  describe('on a thread of its own', () => {
    /** A webhook receiver that answers after `delayMs` (or never) and notes how many requests it held at once. */
    async function slowReceiver(delayMs: number | 'never') {
      let open = 0;
      const seen = { requests: 0, mostAtOnce: 0 };
      const server = http.createServer((request, response) => {
        open++;
        seen.requests++;
        seen.mostAtOnce = Math.max(seen.mostAtOnce, open);
        request.resume();
        request.on('end', () => {
          if (delayMs === 'never') return;
          setTimeout(() => {
            open--;
            response.end('ok');
          }, delayMs);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const close = () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        });
      return { url, seen, close };
    }

    it('keeps to the per-channel share of sends in flight while it holds more', async () => {
      // Long enough that both sends of a pair are surely open together, even on a loaded machine.
      const receiver = await slowReceiver(200);
      try {
        const channel = await webhook('/slow', receiver.url);
        const checks = await Promise.all(Array.from({ length: 8 }, (_, i) => overdueCheck([channel], `share ${i}`)));
        const alerting = alertingFor(store, systemClock, registry, deliveryOptions('on a thread of its own', {}, { perChannel: 2, concurrency: 4 }));
        try {
          await alerting.tick();
        } finally {
          await alerting.delivery.stop();
        }
        expect(receiver.seen).toEqual({ requests: 8, mostAtOnce: 2 });
        for (const check of checks) expect((await notificationsOf(store, check.id)).map((n) => n.state)).toEqual(['sent']);
      } finally {
        await receiver.close();
      }
    });

    it('is handed three claims of rows beyond its sends in flight, where the workers’ thread keeps one', async () => {
      // Claims of 10, taken while half a claim is free: 30 rows held with a sender that queues
      // (4 in flight + 3 × 10 allowed), 10 when the workers send themselves (4 + 10 allowed).
      for (const [kind, held] of [
        ['on a thread of its own', 30],
        ['on the workers’ thread', 10],
      ] as const) {
        const receiver = await slowReceiver('never');
        // A channel per check: no lane is trimmed, and only the worker's own bound stops its claims.
        const checks = [];
        for (let i = 0; i < 40; i++) checks.push(await overdueCheck([await webhook(`/reserve-${i}`, receiver.url)], `reserve ${i}`));
        const ids = checks.map((c) => c.id);
        const sending = async () =>
          (await store.db.selectFrom('notifications').select('state').where('check_id', 'in', ids).execute()).filter((n) => n.state === 'sending').length;
        const options = { perChannel: 1, concurrency: 4, claimSize: 10, attemptTimeoutMs: 10_000 };
        const alerting = alertingFor(store, systemClock, registry, deliveryOptions(kind, {}, options));
        await alerting.scheduler.runDue();
        alerting.delivery.start();
        try {
          await expect.poll(sending, { timeout: 5_000 }).toBe(held);
          // Nothing finishes, so nothing more is claimed.
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(await sending()).toBe(held);
        } finally {
          // Connections refused from now on: the sends in flight fail, and delivery can stop.
          await receiver.close();
          await alerting.delivery.stop();
          // Out of the way of the next workers' claims.
          await store.db.updateTable('notifications').set({ state: 'failed' }).where('check_id', 'in', ids).execute();
        }
      }
    });

    it("renders a webhook's $JSON on the thread as the API shows the check", async () => {
      stand.reset();
      const channel = await addChannel(store, project, 'webhook', { method_down: 'POST', url_down: `${stand.url}/json`, body_down: '$JSON' });
      const check = await overdueCheck([channel], 'json on the thread');
      const alerting = alertingFor(store, systemClock, registry, deliveryOptions('on a thread of its own', {}));
      try {
        await alerting.tick();
      } finally {
        await alerting.delivery.stop();
      }
      const [request] = stand.requests;
      expect(request?.json()).toMatchObject({
        name: 'json on the thread',
        status: 'down',
        ping_url: `http://lookout.test/ping/${check.code}`,
        update_url: `http://lookout.test/api/v3/checks/${check.code}`,
        channels: channel.code,
        timeout: 60,
        grace: 60,
      });
    });

    it('fails the sends of a thread that dies, to be retried later', async () => {
      const channel = await webhook('/after-crash');
      const check = await overdueCheck([channel], 'thread crash');
      // Settings the thread cannot even read: it dies while loading, with the sends handed to it.
      const broken = new ThreadSender({
        settings: null as unknown as Record<string, string>,
        attemptTimeoutMs: 1_000,
        site: { name: 'Lookout', root: 'http://lookout.test' },
        pingEndpoint: 'http://lookout.test/ping/',
      });
      const alerting = alertingFor(store, systemClock, registry, { sender: broken, attemptTimeoutMs: 1_000 });
      try {
        await alerting.tick();
      } finally {
        await alerting.delivery.stop();
      }
      const [row] = await notificationsOf(store, check.id);
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      expect(row?.error).toMatch(/^The delivery thread stopped: /);
      expect(stand.requests.filter((r) => r.path === '/after-crash')).toEqual([]);
    });

    it('is handed no more of a dead destination’s rows than its share, so the others go on', async () => {
      const dead = await slowReceiver('never');
      stand.reset();
      try {
        const deadChannel = await webhook('/dead', dead.url);
        const liveChannel = await webhook('/live');
        // The dead destination's rows come first in the outbox and fill a whole claim.
        for (let i = 0; i < 10; i++) await overdueCheck([deadChannel], `dead ${i}`);
        for (let i = 0; i < 10; i++) await overdueCheck([liveChannel], `live ${i}`);
        // A long attempt timeout: a row handed over stays there for seconds before going back.
        const options = { perChannel: 2, concurrency: 4, claimSize: 10, attemptTimeoutMs: 10_000 };
        const alerting = alertingFor(store, systemClock, registry, deliveryOptions('on a thread of its own', {}, options));
        await alerting.scheduler.runDue();
        alerting.delivery.start();
        try {
          await expect.poll(() => stand.requests.filter((r) => r.path === '/live').length, { timeout: 4_000 }).toBe(10);
          expect(dead.seen.mostAtOnce).toBe(2);
        } finally {
          await dead.close();
          await alerting.delivery.stop();
        }
      } finally {
        await dead.close();
      }
    });

    it('fails a send whose data cannot cross to the thread, and goes on', async () => {
      const sender = new ThreadSender({ settings: {}, attemptTimeoutMs: 1_000, site: { name: 'Lookout', root: 'http://lookout.test' }, pingEndpoint: 'http://lookout.test/ping/' });
      try {
        const report = await sender.send({
          channel: { id: 1, kind: 'webhook', value: '{}' },
          definition: channelDefinition('webhook') as NonNullable<ReturnType<typeof channelDefinition>>,
          config: {},
          // A function cannot be copied to another thread.
          subject: { check: { name: () => 'not data' }, project: { code: 'p', name: 'P' }, view: null } as unknown as AlertSubject,
          event: { code: 'n', status: 'down', reason: 'timeout', event_at: 0, downtime: null },
          lastPing: undefined,
          members: null,
          now: Date.now(),
          startBy: Date.now() + 60_000,
          limits: { perChannel: 1, total: 1 },
        });
        expect(report.error?.message).toMatch(/^Could not hand the send to the delivery thread: /);
        expect(report.error?.permanent).toBe(false);
      } finally {
        await sender.close();
      }
    });

    it('hands back the sends it has not started when delivery stops, untried', async () => {
      const receiver = await slowReceiver('never');
      try {
        const channel = await webhook('/never', receiver.url);
        const checks = await Promise.all(Array.from({ length: 3 }, (_, i) => overdueCheck([channel], `stop ${i}`)));
        const alerting = alertingFor(
          store,
          systemClock,
          registry,
          deliveryOptions('on a thread of its own', {}, { perChannel: 1, concurrency: 1, attemptTimeoutMs: 300 }),
        );
        await alerting.scheduler.runDue();
        alerting.delivery.start();
        await expect.poll(() => receiver.seen.requests, { timeout: 5_000 }).toBe(1);
        await alerting.delivery.stop();
        const rows = (await Promise.all(checks.map((check) => notificationsOf(store, check.id)))).flat();
        // The one in flight timed out and waits for its retry; the others went back untried. (How
        // many times each was claimed depends on how fast the thread started: a row whose lease
        // ran out before its send could start was claimed again.)
        expect(rows.map((n) => [n.state, n.error]).sort()).toEqual([
          ['pending', ''],
          ['pending', ''],
          ['pending', 'Connection timed out'],
        ]);
        const attempts = await store.db.selectFrom('notification_attempts').select(['notification_id', 'error']).where('notification_id', 'in', rows.map((n) => n.id)).execute();
        expect(attempts).toEqual([{ notification_id: rows.find((n) => n.error !== '')?.id, error: 'Connection timed out' }]);
        expect(receiver.seen.requests).toBe(1);
      } finally {
        await receiver.close();
      }
    });
  });
});
