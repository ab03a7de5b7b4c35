// Building blocks for integration configuration schemas.
import { z } from 'zod';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An absolute http(s) URL. */
export function httpUrl(maxLength = 1000) {
  return z.string().trim().min(1).max(maxLength).refine(isHttpUrl, 'must be an http or https URL');
}

/** A non-empty string, trimmed. */
export function requiredText(maxLength = 1000) {
  return z.string().trim().min(1).max(maxLength);
}

/**
 * Accepts the object form or, for Healthchecks-style values that are one bare string, that string
 * as the value of `field`.
 */
export function withShorthand<Shape extends z.ZodRawShape>(field: keyof Shape & string, shape: Shape) {
  return z.preprocess((raw) => (typeof raw === 'string' ? { [field]: raw } : raw), z.object(shape).strict());
}

/** `{"url": "https://…"}` or just `"https://…"`: integrations configured by one webhook URL. */
export const webhookUrlConfig = withShorthand('url', { url: httpUrl() });
export type WebhookUrlConfig = z.output<typeof webhookUrlConfig>;

/** Per-status switches (Healthchecks' `up`/`down` fields), both on by default. */
export const statusToggles = {
  up: z.boolean().default(true),
  down: z.boolean().default(true),
};

/** An E.164 phone number such as +15551234567. */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{4,14}$/, 'must be a phone number in international format, like +15551234567');

/** `{"value": "+1555…", "up": true, "down": true}` (Healthchecks' phone channels). */
export const phoneConfig = withShorthand('value', { value: phoneNumber, ...statusToggles });
export type PhoneConfig = z.output<typeof phoneConfig>;

/** isNoop for configurations with per-status toggles. */
export function toggledOff(config: { up: boolean; down: boolean }, status: 'up' | 'down'): boolean {
  return status === 'up' ? !config.up : !config.down;
}
