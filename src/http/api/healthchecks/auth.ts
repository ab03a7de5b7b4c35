// API key checks with Healthchecks' exact answers: a key of the wrong length is "missing", an
// unknown key or a read-only key on a write endpoint is "wrong".
import type { Accounts, Authenticated } from '../../../accounts/service.js';
import { API_KEY_LENGTH } from '../../../accounts/secrets.js';

export type AuthResult = { ok: true; auth: Authenticated } | { ok: false; error: 'missing api key' | 'wrong api key' };

export async function authorize(
  accounts: Accounts,
  headerKey: string | undefined,
  bodyKey: unknown,
  needsWrite: boolean,
): Promise<AuthResult> {
  // The header wins; a key in the JSON body is converted to a string as Healthchecks does.
  const key = headerKey ?? (bodyKey === undefined || bodyKey === null ? '' : String(bodyKey));
  if (key.length !== API_KEY_LENGTH) return { ok: false, error: 'missing api key' };
  const auth = await accounts.authenticate(key);
  if (!auth || (needsWrite && auth.readOnly)) return { ok: false, error: 'wrong api key' };
  return { ok: true, auth };
}
