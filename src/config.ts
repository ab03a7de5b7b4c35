// Lookout is configured through environment variables only, validated once at start-up so that a
// typo fails loudly with the variable's name instead of surfacing later as odd behaviour.
import path from 'node:path';

export interface Config {
  /** Public base URL, used in every absolute URL Lookout hands out. */
  siteRoot: string;
  siteName: string;
  /** Label of the all-checks badge (MASTER_BADGE_LABEL); SITE_NAME unless set. */
  masterBadgeLabel: string;
  /** PROMETHEUS_ENABLED: serve the per-project Prometheus metrics endpoints. */
  prometheusEnabled: boolean;
  /** METRICS_KEY: the X-Metrics-Key that opens the internal `/api/vN/metrics/` JSON; null = closed. */
  metricsKey: string | null;
  /** Prefix of ping URLs shown to users (display only). */
  pingEndpoint: string;
  host: string;
  port: number;
  /** `sqlite:<file>` or a `postgres://` URL. */
  databaseUrl: string;
  /** Bytes of a ping body that are kept; null = unlimited. */
  pingBodyLimit: number | null;
  /** Requests whose declared body exceeds this are refused before reading (Healthchecks: 2.5 MiB). */
  maxUploadBytes: number;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed. */
  trustedProxies: string[];
  /** HMAC key for API keys and badge signatures; generated and stored in the database when unset. */
  secretKey: string | null;
  logLevel: string;
  /** Check limit given to new users (Healthchecks self-hosted default). */
  defaultCheckLimit: number;
  /** Pings kept per check. */
  pingLogLimit: number;
  /** Longest time a ping waits for its group commit. */
  ingestFlushMs: number;
  ingestMaxBatch: number;
  /** NOTIFY_TIMEOUT: longest time one delivery attempt to an integration may take. */
  notifyTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function readFlag(env: Env, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function readUrl(env: Env, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function readDatabaseUrl(env: Env): string {
  const raw = (env.DATABASE_URL ?? '').trim();
  if (raw === '') return `sqlite:${path.resolve('data', 'lookout.db')}`;
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) return raw;
  if (raw.startsWith('sqlite:')) return raw;
  throw new ConfigError('DATABASE_URL', `must start with sqlite: or postgres://, got "${raw.split(':')[0]}:…"`);
}

export function loadConfig(env: Env = process.env): Config {
  const siteRoot = readUrl(env, 'SITE_ROOT', 'http://localhost:8000');
  const pingEndpoint = readUrl(env, 'PING_ENDPOINT', `${siteRoot}/ping`) + '/';
  const bodyLimitRaw = (env.PING_BODY_LIMIT ?? '').trim().toLowerCase();
  const pingBodyLimit =
    bodyLimitRaw === 'none' || bodyLimitRaw === 'unlimited'
      ? null
      : readInt(env, 'PING_BODY_LIMIT', 10_000, 0, 100 * 1024 * 1024);
  const maxUploadBytes = Math.max(2_621_440, pingBodyLimit ?? 0, 102_400);
  const siteName = (env.SITE_NAME ?? '').trim() || 'Lookout';
  const secretKey = (env.SECRET_KEY ?? '').trim() || null;
  if (secretKey !== null && secretKey.length < 16) {
    throw new ConfigError('SECRET_KEY', 'must be at least 16 characters long');
  }
  return {
    siteRoot,
    siteName,
    masterBadgeLabel: (env.MASTER_BADGE_LABEL ?? '').trim() || siteName,
    prometheusEnabled: readFlag(env, 'PROMETHEUS_ENABLED', true),
    metricsKey: (env.METRICS_KEY ?? '').trim() || null,
    pingEndpoint,
    host: (env.HOST ?? '').trim() || '0.0.0.0',
    port: readInt(env, 'PORT', 8000, 0, 65535),
    databaseUrl: readDatabaseUrl(env),
    pingBodyLimit,
    maxUploadBytes,
    trustedProxies: (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    secretKey,
    logLevel: (env.LOG_LEVEL ?? '').trim() || 'info',
    defaultCheckLimit: readInt(env, 'DEFAULT_CHECK_LIMIT', 10_000, 0, 10_000_000),
    pingLogLimit: readInt(env, 'PING_LOG_LIMIT', 100, 1, 1_000_000),
    ingestFlushMs: readInt(env, 'INGEST_FLUSH_MS', 2, 0, 1000),
    ingestMaxBatch: readInt(env, 'INGEST_MAX_BATCH', 500, 1, 10_000),
    notifyTimeoutMs: readInt(env, 'NOTIFY_TIMEOUT', 30, 1, 30) * 1000,
  };
}
