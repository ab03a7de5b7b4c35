// Managing a project's notification channels for the native API: create, change, delete, send a
// test, read the notification log. Every method is scoped to one project. A configuration is
// checked by its integration before it is stored, and what the channel sends for up and down is
// cached on the row so that queuing notifications stays a single query.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AlertContext, ChannelDefinition } from '../channels/types.js';
import { ChannelConfigError, TransportError } from '../channels/types.js';
import { uniqueKey } from '../checks/unique-key.js';
import type { Clock } from '../clock.js';
import {
  checkCodesOfChannel,
  deleteChannel,
  findChannelByCode,
  findGroupMembers,
  insertChannel,
  saveCorrectedConfig,
  updateChannel,
} from '../store/channels.js';
import { findCheckByCode } from '../store/checks.js';
import type { Store } from '../store/database.js';
import type { NotificationLogRow } from '../store/notifications.js';
import { insertFinishedNotification, listNotifications, logAttempts } from '../store/notifications.js';
import type { ChannelRow, ChannelUpdate, ProjectRow } from '../store/schema.js';
import type { ContextSources } from './alert-context.js';
import type { ChannelRegistry, SendTools } from './send.js';
import { AttemptDeadlines, engineServices, parseStoredConfig, sendWithTimeout } from './send.js';

export class ChannelNotFoundError extends Error {}
export class ChannelForbiddenError extends Error {}
/** Bad input; the message says what to fix. */
export class ChannelInputError extends Error {}

export interface ChannelView {
  channel: ChannelRow;
  /** UUIDs of the checks it is assigned to. */
  checks: string[];
}

export interface TestResult {
  ok: boolean;
  error: string;
}

export interface ChannelServiceOptions {
  clock: Clock;
  registry: ChannelRegistry;
  tools: SendTools;
  context: Pick<ContextSources, 'site'>;
  attemptTimeoutMs?: number;
}

const NAME_MAX = 100;
const LOG_LIMIT_MAX = 1000;

function text(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ChannelInputError(`${field} is not a string`);
  return value;
}

function flag(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ChannelInputError(`${field} is not a boolean`);
  return value;
}

export class ChannelService {
  private readonly clock: Clock;
  private readonly deadlines: AttemptDeadlines;

  constructor(
    private readonly store: Store,
    private readonly options: ChannelServiceOptions,
  ) {
    this.clock = options.clock;
    this.deadlines = new AttemptDeadlines(options.attemptTimeoutMs ?? 30_000);
  }

  async create(project: ProjectRow, body: Record<string, unknown>): Promise<ChannelView> {
    const kind = text(body, 'kind');
    if (kind === undefined) throw new ChannelInputError('kind is required');
    const definition = this.definition(kind);
    if (body.config === undefined) throw new ChannelInputError('config is required');
    const channel = await insertChannel(this.store.db, {
      code: crypto.randomUUID(),
      project_id: project.id,
      kind,
      name: this.name(body) ?? '',
      ...this.configColumns(definition, body.config),
      created: this.clock.now(),
    });
    return { channel, checks: [] };
  }

  async get(project: ProjectRow, code: string): Promise<ChannelView> {
    const channel = await this.own(project, code);
    return { channel, checks: await checkCodesOfChannel(this.store.db, channel.id) };
  }

  /** Changes the name, the configuration (which re-enables a disabled channel) or `disabled`. */
  async update(project: ProjectRow, code: string, body: Record<string, unknown>): Promise<ChannelView> {
    const channel = await this.own(project, code);
    const kind = text(body, 'kind');
    if (kind !== undefined && kind !== channel.kind) throw new ChannelInputError('kind cannot be changed');
    const fields: ChannelUpdate = {};
    const name = this.name(body);
    if (name !== undefined) fields.name = name;
    if (body.config !== undefined) Object.assign(fields, this.configColumns(this.definition(channel.kind), body.config), { disabled: 0 });
    const disabled = flag(body, 'disabled');
    if (disabled !== undefined) fields.disabled = disabled ? 1 : 0;
    const updated = Object.keys(fields).length === 0 ? channel : await updateChannel(this.store.db, channel.id, fields);
    if (!updated) throw new ChannelNotFoundError();
    return { channel: updated, checks: await checkCodesOfChannel(this.store.db, channel.id) };
  }

  async remove(project: ProjectRow, code: string): Promise<ChannelView> {
    const view = await this.get(project, code);
    await deleteChannel(this.store.db, view.channel.id);
    return view;
  }

  /**
   * Sends a test notification now (one attempt, no retry) and logs it; a permanent error is
   * reported but does not disable the channel, since its owner is looking.
   */
  async test(project: ProjectRow, code: string): Promise<TestResult> {
    const channel = await this.own(project, code);
    const now = this.clock.now();
    const notificationId = crypto.randomUUID();
    const started = performance.now();
    let error = '';
    try {
      const definition = this.definition(channel.kind);
      const config = parseStoredConfig(definition, channel.value);
      const members = definition.members ? await findGroupMembers(this.store.db, project.id, definition.members(config)) : null;
      let corrected: unknown;
      const services = engineServices(members, (value) => (corrected = value));
      await sendWithTimeout(definition, config, this.testAlert(project, notificationId, now), this.options.tools, this.deadlines, services);
      if (corrected !== undefined) await saveCorrectedConfig(this.store.db, channel.id, channel.value, JSON.stringify(corrected));
    } catch (thrown) {
      if (!(thrown instanceof TransportError || thrown instanceof ChannelInputError)) throw thrown;
      error = thrown.message;
    }
    const duration = Math.round(performance.now() - started);
    await this.store.db.transaction().execute(async (trx) => {
      const id = await insertFinishedNotification(trx, {
        check_id: null,
        channel_id: channel.id,
        status: 'down',
        reason: 'test',
        event_at: now,
        downtime: null,
        created: now,
        state: error === '' ? 'sent' : 'failed',
        error,
        sent_at: error === '' ? now + duration : null,
      });
      await logAttempts(trx, this.store, [{ notificationId: id, channelId: channel.id, worker: 'test', started: now, duration, error, disableChannel: false }]);
    });
    return { ok: error === '', error };
  }

  async notificationsOfChannel(project: ProjectRow, code: string, limit: number): Promise<NotificationLogRow[]> {
    const channel = await this.own(project, code);
    return listNotifications(this.store.db, { channelId: channel.id }, Math.min(limit, LOG_LIMIT_MAX));
  }

  async notificationsOfCheck(project: ProjectRow, checkCode: string, limit: number): Promise<NotificationLogRow[]> {
    const check = await findCheckByCode(this.store.db, checkCode);
    if (!check) throw new ChannelNotFoundError();
    if (check.project_id !== project.id) throw new ChannelForbiddenError();
    return listNotifications(this.store.db, { checkId: check.id }, Math.min(limit, LOG_LIMIT_MAX));
  }

  private async own(project: ProjectRow, code: string): Promise<ChannelRow> {
    const channel = await findChannelByCode(this.store.db, code);
    if (!channel) throw new ChannelNotFoundError();
    if (channel.project_id !== project.id) throw new ChannelForbiddenError();
    return channel;
  }

  private definition(kind: string): ChannelDefinition {
    const definition = this.options.registry.get(kind);
    if (!definition) throw new ChannelInputError(`unknown channel kind "${kind}"`);
    return definition;
  }

  private name(body: Record<string, unknown>): string | undefined {
    const name = text(body, 'name');
    if (name !== undefined && name.length > NAME_MAX) throw new ChannelInputError(`name is too long (at most ${NAME_MAX} characters)`);
    return name;
  }

  /** The stored configuration (as submitted) and what it sends, once the integration accepts it. */
  private configColumns(definition: ChannelDefinition, raw: unknown): Pick<ChannelUpdate, 'value' | 'send_up' | 'send_down'> {
    let config: unknown;
    try {
      config = definition.parseConfig(raw);
    } catch (error) {
      if (error instanceof ChannelConfigError) throw new ChannelInputError(`invalid config: ${error.message}`);
      throw error;
    }
    return {
      value: JSON.stringify(raw),
      send_up: definition.isNoop(config, 'up') ? 0 : 1,
      send_down: definition.isNoop(config, 'down') ? 0 : 1,
    };
  }

  /** A made-up check that is down, for test sends (Healthchecks sends one named "TEST"). */
  private testAlert(project: ProjectRow, notificationId: string, now: number): AlertContext {
    const code = crypto.randomUUID();
    const { site } = this.options.context;
    const check = {
      code,
      name: 'TEST',
      slug: 'test',
      tags: '',
      description: 'This is a test notification sent by Lookout.',
      kind: 'simple' as const,
      timeout: 86_400,
      grace: 3_600,
      schedule: '* * * * *',
      tz: 'UTC',
      nPings: 0,
      lastPing: null,
      uniqueKey: uniqueKey(code),
      detailsUrl: site.root,
    };
    return {
      site,
      project: { code: project.code, name: project.name },
      check: { ...check, json: { name: check.name, slug: check.slug, tags: check.tags, desc: check.description, status: 'down' } },
      event: { status: 'down', reason: '', at: now, downtimeMs: null, notificationId },
      lastPing: null,
    };
  }
}
