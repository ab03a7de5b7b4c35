// One delivery attempt: the integration's send, bounded by a timeout even when the integration
// ignores its abort signal, with every failure turned into a TransportError.
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { OutboundHttp } from '../channels/http.js';
import type { AlertContext, ChannelDefinition, GroupMember, SendEnvironment } from '../channels/types.js';
import { ChannelConfigError, TransportError } from '../channels/types.js';
import type { ChannelRow } from '../store/schema.js';

/** Kind → definition; src/channels/registry.ts in production, a test's own in tests. */
export interface ChannelRegistry {
  get(kind: string): ChannelDefinition | undefined;
}

export interface SendTools {
  http: OutboundHttp;
  settings: Record<string, string | undefined>;
}

/** What a send may ask of the engine beyond HTTP (see SendEnvironment). */
export type EngineServices = Pick<SendEnvironment, 'resolveGroup' | 'saveConfig'>;

/**
 * The engine's services for one send: the group's members, looked up before the send, and a
 * corrected configuration handed to `corrected` for the engine to store after it.
 */
export function engineServices(members: readonly GroupMember[] | null, corrected: (value: unknown) => void): EngineServices {
  return {
    resolveGroup: members ? async (codes: readonly string[]) => members.filter((m) => codes.includes(m.code)) : undefined,
    saveConfig: async (value: unknown) => corrected(value),
  };
}

/** A channel's stored configuration: JSON as saved through the API, or a Healthchecks text value. */
export function storedConfig(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The channel's configuration, or a permanent TransportError when it no longer validates. */
export function parseStoredConfig(definition: ChannelDefinition, value: string): unknown {
  try {
    return definition.parseConfig(storedConfig(value));
  } catch (error) {
    if (error instanceof ChannelConfigError) throw new TransportError(`Invalid configuration: ${error.message}`, true);
    throw error;
  }
}

/** Parsed channel configurations, kept while a channel's stored kind and value stay the same. */
export class ChannelConfigs {
  private readonly parsed = new Map<number, { kind: string; value: string; config: unknown }>();

  /** The channel's configuration; a permanent TransportError when it no longer validates. */
  get(channel: Pick<ChannelRow, 'id' | 'kind' | 'value'>, definition: ChannelDefinition): unknown {
    const cached = this.parsed.get(channel.id);
    if (cached && cached.kind === channel.kind && cached.value === channel.value) return cached.config;
    const config = parseStoredConfig(definition, channel.value);
    this.parsed.set(channel.id, { kind: channel.kind, value: channel.value, config });
    return config;
  }
}

/**
 * Time limits for send attempts. Attempts that start within the same short tick share one abort
 * signal and one timer (an AbortController with its listeners costs more than a whole request to a
 * nearby server, and a burst starts thousands of attempts a second): each attempt gets at least
 * its timeout and at most one tick more.
 */
export class AttemptDeadlines {
  private readonly tickMs: number;
  private current: DeadlineTick | null = null;

  constructor(readonly timeoutMs: number) {
    this.tickMs = Math.min(100, Math.max(1, timeoutMs / 20));
  }

  /**
   * Runs one attempt: rejects with "Connection timed out" when its time is up, whether or not the
   * attempt heeds its signal (which is aborted then).
   */
  run(attempt: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const now = performance.now();
    if (this.current === null || !this.current.open || now >= this.current.closesAt) {
      this.current?.close();
      this.current = new DeadlineTick(now + this.tickMs, this.timeoutMs + this.tickMs);
    }
    return this.current.run(attempt);
  }
}

/** The attempts that started within one tick, and the timer that ends them. */
class DeadlineTick {
  private readonly controller = new AbortController();
  private readonly pending = new Set<(error: TransportError) => void>();
  private readonly timer: NodeJS.Timeout;
  /** Takes more attempts; closed once its time window passed or all its attempts are over. */
  open = true;

  constructor(
    readonly closesAt: number,
    lifetimeMs: number,
  ) {
    // Integrations may listen to it (spawned commands do): many attempts share it by design.
    setMaxListeners(Infinity, this.controller.signal);
    this.timer = setTimeout(() => this.expire(), lifetimeMs);
  }

  run(attempt: (signal: AbortSignal) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.add(reject);
      const settle = (error?: unknown): void => {
        if (!this.pending.delete(reject)) return;
        this.stopWhenIdle();
        if (error === undefined) resolve();
        else reject(error);
      };
      try {
        attempt(this.controller.signal).then(() => settle(), settle);
      } catch (error) {
        settle(error);
      }
    });
  }

  /** No attempt joins any more: the timer goes as soon as the last attempt is over. */
  close(): void {
    this.open = false;
    this.stopWhenIdle();
  }

  // An idle tick closes too, so that no timer outlives the attempts (a stopping process exits).
  private stopWhenIdle(): void {
    if (this.pending.size > 0) return;
    this.open = false;
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.controller.abort();
    const timedOut = new TransportError('Connection timed out');
    for (const reject of this.pending) reject(timedOut);
    this.pending.clear();
  }
}

/** One attempt of an integration's send, within its deadline; every failure is a TransportError. */
export async function sendWithTimeout(
  definition: ChannelDefinition,
  config: unknown,
  alert: AlertContext,
  tools: SendTools,
  deadlines: AttemptDeadlines,
  services: EngineServices = {},
): Promise<void> {
  try {
    // One shape for every send (no spreads): a burst makes thousands of these a second.
    await deadlines.run((signal) =>
      definition.send(config, alert, {
        http: tools.http,
        settings: tools.settings,
        signal,
        resolveGroup: services.resolveGroup,
        saveConfig: services.saveConfig,
      }),
    );
  } catch (error) {
    if (error instanceof TransportError) throw error;
    // A bug in an integration is a failed attempt, not a crashed worker.
    throw new TransportError(`Unexpected error: ${(error as Error)?.message ?? String(error)}`);
  }
}
