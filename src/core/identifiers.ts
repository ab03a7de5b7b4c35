// Shapes of the identifiers Lookout hands out, checked before anything touches the database.

/** Canonical lowercase UUID with dashes: the only form ping and API routes accept. */
export const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ping keys and slugs in ping URLs (Django's slug path converter). */
export const SLUG_SEGMENT = /^[-a-zA-Z0-9_]+$/;

/** The 8-character short ping code of a check. */
export const PING_CODE = /^[A-Za-z0-9]{8}$/;
export const PING_CODE_LENGTH = 8;
export const PING_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function isUuid(value: string): boolean {
  return UUID_LOWER.test(value);
}

/** A run id may come in any case; it is stored lowercase. Returns null when it is not a UUID. */
export function normaliseRid(value: string): string | null {
  return UUID_ANY_CASE.test(value) ? value.toLowerCase() : null;
}
