// Run metadata a job may send with any ping, as query parameters or form fields:
// runtime (seconds), memory (bytes), exit_code (0–255) and failure_message.
import type { RunMetadata } from '../../ingest/ping-request.js';

export const FAILURE_MESSAGE_LIMIT = 100 * 1024;
const MAX_RUNTIME_SECONDS = 10 * 365 * 86400;

export type ParsedMetadata = { ok: true; meta: RunMetadata } | { ok: false; error: string };

/** Form fields win over query parameters of the same name. */
function pick(name: string, query: URLSearchParams, form: URLSearchParams | null): string | null {
  return form?.get(name) ?? query.get(name);
}

export function parseRunMetadata(query: URLSearchParams, form: URLSearchParams | null): ParsedMetadata {
  const meta: RunMetadata = { runtime: null, memory: null, exitCode: null, failureMessage: null };

  const runtime = pick('runtime', query, form);
  if (runtime !== null && runtime !== '') {
    const value = Number(runtime);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(runtime) || value > MAX_RUNTIME_SECONDS) {
      return { ok: false, error: 'invalid runtime' };
    }
    meta.runtime = value;
  }

  const memory = pick('memory', query, form);
  if (memory !== null && memory !== '') {
    if (!/^\d{1,15}$/.test(memory.trim())) return { ok: false, error: 'invalid memory' };
    meta.memory = Number(memory.trim());
  }

  const exitCode = pick('exit_code', query, form);
  if (exitCode !== null && exitCode !== '') {
    if (!/^\d{1,3}$/.test(exitCode.trim()) || Number(exitCode) > 255) return { ok: false, error: 'invalid exit_code' };
    meta.exitCode = Number(exitCode.trim());
  }

  const failureMessage = pick('failure_message', query, form);
  if (failureMessage !== null && failureMessage !== '') {
    // PostgreSQL text cannot hold NUL; a replacement character keeps the message readable.
    meta.failureMessage = failureMessage.slice(0, FAILURE_MESSAGE_LIMIT).replaceAll('\0', '\uFFFD');
  }
  return { ok: true, meta };
}
