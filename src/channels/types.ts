// The contract between the alerting services and the integrations. Each integration is a folder
// under src/channels/<kind>/ exporting a ChannelDefinition; src/channels/registry.ts lists them.

export type AlertStatus = 'up' | 'down';

/** Why a check changed state, as shown in messages. */
export type AlertReason = '' | 'timeout' | 'fail' | 'stuck' | 'long' | 'short' | 'reminder' | 'flapping';

/** Everything a message may say about the check and the event; built once per notification. */
export interface AlertContext {
  site: { name: string; root: string };
  project: { code: string; name: string };
  check: {
    code: string;
    name: string;
    slug: string;
    /** Space-separated as stored. */
    tags: string;
    description: string;
    kind: 'simple' | 'cron' | 'oncalendar';
    /** Seconds. */
    timeout: number;
    /** Seconds. */
    grace: number;
    schedule: string;
    tz: string;
    nPings: number;
    lastPing: number | null;
    /** Stable public id (Healthchecks' unique_key): incident keys for PagerDuty, Opsgenie… */
    uniqueKey: string;
    /** Link to the check in the dashboard. */
    detailsUrl: string;
    /** The check as the v3 API shows it to a read-write key (webhook `$JSON`). */
    json: Record<string, unknown>;
  };
  event: {
    status: AlertStatus;
    reason: AlertReason;
    /** Epoch ms of the state change (the exact deadline for a missed ping). */
    at: number;
    /** How long the check was down, for recovery notices; null when unknown. */
    downtimeMs: number | null;
    /** Unique per notification; the idempotency key for targets that support one. */
    notificationId: string;
  };
  /** The last ping at or before the event, if any. */
  lastPing: { kind: string | null; body: string | null; exitStatus: number | null } | null;
}

export class ChannelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

/** A failed delivery; permanent errors (bad token, deleted webhook…) disable the channel. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ChannelDefinition<Config = unknown> {
  kind: string;
  label: string;
  /** Validates a channel's stored or submitted configuration; throws ChannelConfigError. */
  parseConfig(raw: unknown): Config;
  /** True when this channel sends nothing for this status (e.g. an up-only toggle). */
  isNoop(config: Config, status: AlertStatus): boolean;
  /** Sends one notification; throws TransportError on failure. */
  send(config: Config, alert: AlertContext, env: SendEnvironment): Promise<void>;
  /**
   * The codes of the channels a send goes through (a group's members): the engine looks them up
   * before the send and hands them over as `env.resolveGroup`.
   */
  members?(config: Config): readonly string[];
  /**
   * True when a message may include the whole check as the API shows it (`alert.check.json`, a
   * webhook's $JSON). The engine reads and hands over that much of the check only then; without
   * it, `alert.check.json` throws.
   */
  showsCheckJson?(config: Config): boolean;
}

export interface SendEnvironment {
  /** Outbound HTTP that refuses private addresses unless allowed. */
  http: import('./http.js').OutboundHttp;
  /** Per-integration settings from the environment (base URLs, bot tokens…). */
  settings: Record<string, string | undefined>;
  /** Aborted when the attempt times out. */
  signal: AbortSignal;
  /**
   * For `group` channels: the channels of the same project with these codes, leaving out unknown,
   * disabled and group channels. Without it a group send fails with a TransportError.
   */
  resolveGroup?(codes: readonly string[]): Promise<GroupMember[]>;
  /**
   * Stores a corrected configuration for the channel being sent to (Telegram reports a migrated
   * chat id). Optional: without it the correction only applies to this send.
   */
  saveConfig?(value: unknown): Promise<void>;
}

/** A member channel of a group, as stored. */
export interface GroupMember {
  code: string;
  kind: string;
  /** The stored channel value (JSON text), parsed with the member kind's parseConfig. */
  value: string;
}
