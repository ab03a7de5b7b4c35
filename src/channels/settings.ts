// Reading per-integration settings (SendEnvironment.settings: the process environment, or the
// subset pickIntegrationSettings returns). Operator-configured values are forgiving about
// whitespace and trailing slashes; an integration whose required settings are missing fails each
// send with "<Label> notifications are not enabled" rather than stopping the server.
import { TransportError } from './types.js';

export type Settings = Record<string, string | undefined>;

function raw(settings: Settings, name: string): string | undefined {
  const value = settings[name]?.trim();
  return value === '' ? undefined : value;
}

export function settingText(settings: Settings, name: string, fallback = ''): string {
  return raw(settings, name) ?? fallback;
}

/** `true`/`1`/`yes`/`on` and `false`/`0`/`no`/`off`, any case; anything else is the fallback. */
export function settingFlag(settings: Settings, name: string, fallback: boolean): boolean {
  const value = raw(settings, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return fallback;
}

export function settingInt(settings: Settings, name: string, fallback: number): number {
  const value = raw(settings, name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

/** A base URL without its trailing slash. */
export function settingBaseUrl(settings: Settings, name: string, fallback: string): string {
  return (raw(settings, name) ?? fallback).replace(/\/+$/, '');
}

/** The named settings, or a TransportError when any is missing. */
export function requireSettings<Name extends string>(
  settings: Settings,
  names: readonly Name[],
  label: string,
): Record<Name, string> {
  const values = {} as Record<Name, string>;
  for (const name of names) {
    const value = raw(settings, name);
    if (value === undefined) throw new TransportError(`${label} notifications are not enabled`);
    values[name] = value;
  }
  return values;
}

/** Every environment variable an integration reads (documented in docs/integrations.md). */
export const INTEGRATION_SETTING_NAMES = [
  'INTEGRATIONS_ALLOW_PRIVATE_IPS',
  'EMAIL_HOST',
  'EMAIL_PORT',
  'EMAIL_HOST_USER',
  'EMAIL_HOST_PASSWORD',
  'EMAIL_USE_TLS',
  'EMAIL_USE_SSL',
  'DEFAULT_FROM_EMAIL',
  'WEBHOOKS_ENABLED',
  'SLACK_ENABLED',
  'DISCORD_ENABLED',
  'MATTERMOST_ENABLED',
  'ROCKETCHAT_ENABLED',
  'MSTEAMS_ENABLED',
  'GOOGLECHAT_ENABLED',
  'TELEGRAM_TOKEN',
  'TELEGRAM_API_URL',
  'MATRIX_HOMESERVER',
  'MATRIX_ACCESS_TOKEN',
  'ZULIP_ENABLED',
  'NTFY_ENABLED',
  'GOTIFY_ENABLED',
  'PUSHOVER_API_TOKEN',
  'PUSHOVER_API_URL',
  'PUSHOVER_EMERGENCY_RETRY_DELAY',
  'PUSHOVER_EMERGENCY_EXPIRATION',
  'PUSHBULLET_ENABLED',
  'PUSHBULLET_API_URL',
  'PD_ENABLED',
  'PD_EVENTS_URL',
  'OPSGENIE_ENABLED',
  'OPSGENIE_API_URL',
  'OPSGENIE_EU_API_URL',
  'VICTOROPS_ENABLED',
  'PAGERTREE_ENABLED',
  'SPIKE_ENABLED',
  'SIGNAL_CLI_SOCKET',
  'SIGNAL_CLI_URL',
  'TWILIO_ACCOUNT',
  'TWILIO_AUTH',
  'TWILIO_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_API_URL',
  'TWILIO_USE_WHATSAPP',
  'WHATSAPP_DOWN_CONTENT_SID',
  'WHATSAPP_UP_CONTENT_SID',
  'GITHUB_APP_ID',
  'GITHUB_PRIVATE_KEY',
  'GITHUB_API_URL',
  'TRELLO_APP_KEY',
  'TRELLO_API_URL',
  'APPRISE_ENABLED',
  'APPRISE_BIN',
  'SHELL_ENABLED',
] as const;

/** Only the integration settings of an environment, so secrets such as DATABASE_URL stay out. */
export function pickIntegrationSettings(env: Settings = process.env): Settings {
  const picked: Settings = {};
  for (const name of INTEGRATION_SETTING_NAMES) if (env[name] !== undefined) picked[name] = env[name];
  return picked;
}
