// What every check's stored state must agree with, whatever happened to the server: its pings.
// A half-written ping batch (a check updated without its pings, or the other way round) shows up
// here as a disagreement.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

/**
 * Every disagreement between a check and its pings, as readable lines (none when all is well):
 * - `n_pings` equals the number of stored pings and their highest `n`, and the `n` are 1…n_pings;
 * - `status` is that of the last success (`up`) or fail (`down`) ping, or `new` when there is none;
 * - `last_ping` is the time of that ping, or null.
 * Holds only while no pings were pruned and no check was paused or edited by hand.
 */
export async function checkStateProblems(db: Kysely<Database>): Promise<string[]> {
  const checks = await db.selectFrom('checks').select(['id', 'code', 'n_pings', 'status', 'last_ping']).orderBy('id').execute();
  const pings = await db.selectFrom('pings').select(['check_id', 'n', 'kind', 'created']).orderBy('check_id').orderBy('n').execute();
  const byCheck = new Map<number, typeof pings>();
  for (const ping of pings) {
    const list = byCheck.get(ping.check_id) ?? [];
    list.push(ping);
    byCheck.set(ping.check_id, list);
  }
  const problems: string[] = [];
  for (const check of checks) {
    const own = byCheck.get(check.id) ?? [];
    byCheck.delete(check.id);
    const numbers = own.map((p) => p.n);
    const expectedNumbers = Array.from({ length: check.n_pings }, (_, i) => i + 1);
    if (numbers.join(',') !== expectedNumbers.join(',')) {
      problems.push(`check ${check.code}: n_pings ${check.n_pings} but pings numbered [${numbers.join(',')}]`);
    }
    const lastCompletion = own.filter((p) => p.kind === null || p.kind === 'fail').at(-1);
    const status = lastCompletion === undefined ? 'new' : lastCompletion.kind === 'fail' ? 'down' : 'up';
    if (check.status !== status) problems.push(`check ${check.code}: status ${check.status}, its pings say ${status}`);
    const lastPing = lastCompletion?.created ?? null;
    if (check.last_ping !== lastPing) problems.push(`check ${check.code}: last_ping ${check.last_ping}, its pings say ${lastPing}`);
  }
  for (const checkId of byCheck.keys()) problems.push(`pings of check id ${checkId}, which does not exist`);
  return problems;
}
