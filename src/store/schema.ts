// The database as Kysely sees it. Every query is typed against these interfaces, so renaming a
// column breaks the build rather than production. Conventions shared by both dialects:
// - instants are integer milliseconds since the Unix epoch (UTC);
// - flags are 0/1 integers (SQLite has no boolean type; one representation keeps one code path);
// - ids are internal integers; UUIDs and codes are what the outside world sees.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;
/** 0 or 1. */
export type Flag = number;

export interface UsersTable {
  id: Id;
  email: string;
  password_hash: string;
  is_admin: Flag;
  check_limit: number;
  ping_log_limit: number;
  created: number;
}

export interface ProjectsTable {
  id: Id;
  code: string;
  name: string;
  owner_id: number;
  ping_key: string;
  badge_key: string;
  show_slugs: Flag;
  created: number;
}

export interface ApiKeysTable {
  id: Id;
  project_id: number;
  /** First 8 characters of the key's secret part, to find the row without storing the key. */
  prefix: string;
  /** Hex HMAC-SHA256 of the whole key under the instance secret. */
  hash: string;
  read_only: Flag;
  name: string;
  created: number;
  last_used: number | null;
}

export type StoredStatus = 'new' | 'up' | 'down' | 'paused';
export type CheckKind = 'simple' | 'cron' | 'oncalendar';

// Generated<> marks columns the database fills with a default when an insert leaves them out.
export interface ChecksTable {
  id: Id;
  code: string;
  project_id: number;
  name: Generated<string>;
  slug: Generated<string>;
  tags: Generated<string>;
  description: Generated<string>;
  kind: Generated<CheckKind>;
  /** Seconds. */
  timeout: Generated<number>;
  /** Seconds. */
  grace: Generated<number>;
  schedule: Generated<string>;
  tz: Generated<string>;
  filter_subject: Generated<Flag>;
  filter_body: Generated<Flag>;
  filter_http_body: Generated<Flag>;
  filter_default_fail: Generated<Flag>;
  start_kw: Generated<string>;
  success_kw: Generated<string>;
  failure_kw: Generated<string>;
  methods: Generated<string>;
  manual_resume: Generated<Flag>;
  badge_key: string;
  ping_code: string;
  n_pings: Generated<number>;
  last_ping: number | null;
  last_start: number | null;
  last_start_rid: string | null;
  /** Milliseconds from the last start to its completion. */
  last_duration: number | null;
  last_success: number | null;
  last_fail: number | null;
  last_exit_code: number | null;
  has_confirmation_link: Generated<Flag>;
  alert_after: number | null;
  status: Generated<StoredStatus>;
  /** Seconds; a started run longer than this is stuck. */
  max_duration: number | null;
  alert_on_missed: Generated<Flag>;
  alert_on_fail: Generated<Flag>;
  alert_on_stuck: Generated<Flag>;
  alert_on_long: Generated<Flag>;
  created: number;
  /** The server the check's job runs on (Cron Checks API); null when not linked. */
  server_id: number | null;
  // Alert rules (migration 004); off by default so that a check alerts as in Healthchecks.
  /** Consecutive failure pings before the check goes down (1 = the first one). */
  failure_threshold: Generated<number>;
  /** Seconds; a run that finishes faster is a failure. */
  min_duration: number | null;
  /** Seconds between reminders while the check is down; null = no reminders. */
  reminder_interval: number | null;
  /** More state changes than this within `flap_window` seconds is flapping; null = off. */
  flap_threshold: number | null;
  flap_window: number | null;
  /** When the next reminder is due (epoch ms); null when none is. */
  next_reminder_at: number | null;
  /** When the last flapping notice was queued (epoch ms). */
  flap_notified_at: number | null;
}

export type PingKind = 'start' | 'fail' | 'ign' | 'log' | null;

export interface PingsTable {
  id: Generated<number>;
  check_id: number;
  n: number;
  created: number;
  kind: PingKind;
  scheme: string;
  remote_addr: string | null;
  method: string;
  ua: string;
  body: Buffer | null;
  rid: string | null;
  exit_status: number | null;
  /** Milliseconds from the paired start ping, when there was one. */
  duration: number | null;
  /** Seconds, as reported by the job (`runtime=`). */
  runtime: number | null;
  /** Bytes, as reported by the job (`memory=`). */
  memory: number | null;
  failure_message: string | null;
}

export interface FlipsTable {
  id: Generated<number>;
  check_id: number;
  created: number;
  processed: number | null;
  old_status: string;
  new_status: string;
  reason: Generated<string>;
  /** 1 when the alert rules announced this change (its recovery is then announced too). */
  alerted: Generated<Flag>;
}

export interface ChannelsTable {
  id: Id;
  code: string;
  project_id: number;
  name: Generated<string>;
  kind: string;
  value: Generated<string>;
  email_verified: Generated<Flag>;
  disabled: Generated<Flag>;
  last_notify: number | null;
  last_notify_duration: number | null;
  last_error: Generated<string>;
  created: number;
  /**
   * 0 when the channel sends nothing for this status (its definition's isNoop), cached when the
   * channel is saved so that queuing notifications is one query.
   */
  send_up: Generated<Flag>;
  send_down: Generated<Flag>;
}

export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed';

/** The outbox: one row per channel and event, written in the transaction that made the event. */
export interface NotificationsTable {
  id: Id;
  /** UUID; the idempotency key handed to integrations. */
  code: string;
  /** Null for test sends. */
  check_id: number | null;
  channel_id: number;
  status: 'up' | 'down';
  /** Why: '' | timeout | fail | stuck | long | short | reminder | flapping | test. */
  reason: Generated<string>;
  /** When the event happened (the flip's time; the reminder's time). */
  event_at: number;
  /** Milliseconds the check was down, for recoveries and reminders. */
  downtime: number | null;
  created: number;
  /** Due time; while a worker holds the row, the end of its lease (so a crash makes it due again). */
  next_attempt_at: number;
  attempts: Generated<number>;
  state: Generated<NotificationState>;
  error: Generated<string>;
  sent_at: number | null;
  /** The claim token of the worker holding the row. */
  claimed_by: string | null;
  claimed_until: number | null;
}

export interface NotificationAttemptsTable {
  id: Id;
  notification_id: number;
  started: number;
  /** Milliseconds. */
  duration: number;
  /** '' for a successful attempt. */
  error: Generated<string>;
  worker: Generated<string>;
}

export interface CheckChannelsTable {
  check_id: number;
  channel_id: number;
}

/** A machine that runs cron jobs, as the Cron Checks API links checks to it. */
export interface ServersTable {
  id: Id;
  project_id: number;
  hostname: string;
  created: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  checks: ChecksTable;
  pings: PingsTable;
  flips: FlipsTable;
  channels: ChannelsTable;
  check_channels: CheckChannelsTable;
  settings: SettingsTable;
  servers: ServersTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
}

export type UserRow = Selectable<UsersTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type CheckRow = Selectable<ChecksTable>;
export type NewCheck = Insertable<ChecksTable>;
export type CheckUpdate = Updateable<ChecksTable>;
export type PingRow = Selectable<PingsTable>;
export type NewPing = Insertable<PingsTable>;
export type FlipRow = Selectable<FlipsTable>;
export type NewFlip = Insertable<FlipsTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type NewChannel = Insertable<ChannelsTable>;
export type ChannelUpdate = Updateable<ChannelsTable>;
export type ServerRow = Selectable<ServersTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;
