// Healthchecks' `unique_key`: a stable public identifier derived from a check's UUID, shown to
// read-only keys instead of the UUID (which would allow pinging).
import crypto from 'node:crypto';

export function uniqueKey(code: string): string {
  return crypto.createHash('sha1').update(code.replace(/-/g, '').slice(0, 16)).digest('hex');
}
