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
}

export interface CheckChannelsTable {
  check_id: number;
  channel_id: number;
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
