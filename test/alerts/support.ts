// Shared pieces of the alerting tests: a project with checks and channels written straight to a
// test store, a channel kind that records what it is asked to send, and services on a ManualClock.
import crypto from 'node:crypto';
import { DeadlineScheduler } from '../../src/alerts/scheduler.js';
import { OutboundHttp } from '../../src/channels/http.js';
import type { AlertContext, ChannelDefinition } from '../../src/channels/types.js';
import { ChannelConfigError, TransportError } from '../../src/channels/types.js';
import { newCheckRow } from '../../src/checks/new-check.js';
import type { Clock } from '../../src/clock.js';
import { DeliveryWorkers } from '../../src/notify/delivery.js';
import type { DeliveryOptions } from '../../src/notify/delivery.js';
import type { ChannelRegistry } from '../../src/notify/send.js';
import { insertProject, insertUser } from '../../src/store/accounts.js';
import { insertChannel, setCheckChannels } from '../../src/store/channels.js';
import { insertCheck } from '../../src/store/checks.js';
import type { Store } from '../../src/store/database.js';
import type { ChannelRow, CheckRow, NewCheck, ProjectRow } from '../../src/store/schema.js';

export const SILENT_LOGGER = { warn: () => {}, error: () => {} };

export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export async function seedProject(store: Store): Promise<ProjectRow> {
  const tag = crypto.randomBytes(6).toString('hex');
  const user = await insertUser(store.db, {
    email: `${tag}@example.org`,
    password_hash: 'x',
    is_admin: 0,
    check_limit: 100_000,
    ping_log_limit: 100,
    created: T0,
  });
  return insertProject(store.db, {
    code: crypto.randomUUID(),
    name: `Project ${tag}`,
    owner_id: user.id,
    ping_key: tag,
    badge_key: crypto.randomUUID(),
    show_slugs: 0,
    created: T0,
  });
}

export async function addCheck(store: Store, project: ProjectRow, fields: Partial<NewCheck> = {}, channels: ChannelRow[] = []): Promise<CheckRow> {
  const check = await insertCheck(store.db, newCheckRow(project.id, T0, { name: 'backup', ...fields }));
  await setCheckChannels(
    store.db,
    check.id,
    channels.map((c) => c.id),
  );
  return check;
}

export async function addChannel(store: Store, project: ProjectRow, kind = 'recorder', config: unknown = {}): Promise<ChannelRow> {
  return insertChannel(store.db, {
    code: crypto.randomUUID(),
    project_id: project.id,
    name: kind,
    kind,
    value: JSON.stringify(config),
    created: T0,
  });
}

export async function checkById(store: Store, id: number): Promise<CheckRow> {
  return store.db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function flipsOf(store: Store, checkId: number) {
  return store.db.selectFrom('flips').selectAll().where('check_id', '=', checkId).orderBy('id').execute();
}

export async function notificationsOf(store: Store, checkId: number) {
  return store.db.selectFrom('notifications').selectAll().where('check_id', '=', checkId).orderBy('id').execute();
}

export type Behaviour = 'ok' | 'fail' | 'permanent' | 'hang';

export interface RecorderConfig {
  /** What a send does; per channel so that one channel can misbehave while others work. */
  behaviour?: Behaviour;
  /** Sends nothing for this status. */
  skip?: 'up' | 'down';
}

/** A channel kind that records every alert it is given, in memory. */
export class Recorder implements ChannelDefinition<RecorderConfig> {
  readonly label = 'Recorder';
  readonly sent: { config: RecorderConfig; alert: AlertContext }[] = [];
  attempts = 0;

  /** `showsJson`: whether its messages may show the whole check (see showsCheckJson). */
  constructor(
    readonly kind = 'recorder',
    private readonly showsJson = true,
  ) {}

  parseConfig(raw: unknown): RecorderConfig {
    if (typeof raw !== 'object' || raw === null) throw new ChannelConfigError('configuration must be a JSON object');
    const behaviour = (raw as RecorderConfig).behaviour ?? 'ok';
    if (!['ok', 'fail', 'permanent', 'hang'].includes(behaviour)) throw new ChannelConfigError(`behaviour: unknown "${behaviour}"`);
    return raw as RecorderConfig;
  }

  isNoop(config: RecorderConfig, status: 'up' | 'down'): boolean {
    return config.skip === status;
  }

  showsCheckJson(): boolean {
    return this.showsJson;
  }

  async send(config: RecorderConfig, alert: AlertContext, env: { signal: AbortSignal }): Promise<void> {
    this.attempts++;
    switch (config.behaviour ?? 'ok') {
      case 'fail':
        throw new TransportError('Received status code 500');
      case 'permanent':
        throw new TransportError('Received status code 404', true);
      case 'hang':
        // Ignores its abort signal on purpose: the delivery's own timeout must still end it.
        return new Promise<void>(() => {});
      default:
        this.sent.push({ config, alert });
        void env;
    }
  }
}

export function registryOf(...definitions: ChannelDefinition<any>[]): ChannelRegistry {
  return new Map(definitions.map((d) => [d.kind, d as ChannelDefinition]));
}

export interface Alerting {
  scheduler: DeadlineScheduler;
  delivery: DeliveryWorkers;
  /** Detects everything due and delivers everything deliverable, as the running loops would. */
  tick(): Promise<void>;
}

export function alertingFor(store: Store, clock: Clock, registry: ChannelRegistry, options: Partial<DeliveryOptions> = {}): Alerting {
  const scheduler = new DeadlineScheduler(store, { clock, logger: SILENT_LOGGER, batchSize: 50 });
  const delivery = new DeliveryWorkers(store, {
    clock,
    logger: SILENT_LOGGER,
    registry,
    tools: { http: new OutboundHttp({ allowPrivate: true }), settings: {} },
    context: {
      site: { name: 'Lookout', root: 'http://lookout.test' },
      renderCheckJson: (check) => ({ name: check.name }),
    },
    attemptTimeoutMs: 500,
    ...options,
  });
  return {
    scheduler,
    delivery,
    async tick() {
      await scheduler.runDue();
      await delivery.runDue();
    },
  };
}
