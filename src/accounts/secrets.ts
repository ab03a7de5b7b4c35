// Generating and verifying secrets. Keys and passwords are stored only as hashes; every
// comparison of a secret is constant-time.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { PING_CODE_ALPHABET, PING_CODE_LENGTH } from '../core/identifiers.js';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** Uniformly random characters from an alphabet (rejection sampling, no modulo bias). */
export function randomString(length: number, alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newUuid(): string {
  return crypto.randomUUID();
}

export function newPingCode(): string {
  return randomString(PING_CODE_LENGTH, PING_CODE_ALPHABET);
}

/** 22 lowercase characters, like Healthchecks' generated ping keys. */
export function newPingKey(): string {
  return randomString(22, LOWER_ALNUM);
}

export function newSecretKey(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export interface ApiKeySecret {
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

// API keys are 32 characters long, because Healthchecks clients treat any other length as
// "missing api key". The prefix tells people at a glance which kind of key they hold.
export const READ_WRITE_PREFIX = 'lkw_';
export const READ_ONLY_PREFIX = 'lkr_';
export const API_KEY_LENGTH = 32;

export function hashApiKey(secretKey: string, key: string): string {
  return crypto.createHmac('sha256', secretKey).update(key).digest('hex');
}

/** The part of a key used to find its row: 8 characters after the kind prefix. */
export function apiKeyLookupPrefix(key: string): string {
  return key.slice(READ_WRITE_PREFIX.length, READ_WRITE_PREFIX.length + 8);
}

export function newApiKey(secretKey: string, readOnly: boolean): ApiKeySecret {
  const kindPrefix = readOnly ? READ_ONLY_PREFIX : READ_WRITE_PREFIX;
  const key = kindPrefix + randomString(API_KEY_LENGTH - kindPrefix.length, URL_SAFE);
  return { key, prefix: apiKeyLookupPrefix(key), hash: hashApiKey(secretKey, key) };
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

// scrypt with N=2^15: ~50 ms per hash here, slow for guessing, fine for a sign-in.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const derived = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${derived.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const derived = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { ...SCRYPT, N: Number(n) });
  return crypto.timingSafeEqual(derived, expected);
}
