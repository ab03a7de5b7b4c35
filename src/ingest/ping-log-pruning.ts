// Keeps each check's ping log to its owner's limit, as a pass through the whole table that goes
// on a stretch at a time: every PRUNE_EVERY pings a writer writes, in the same transaction, it
// looks at the next 2 × PRUNE_EVERY pings in id order and deletes those no longer kept (see
// prunePingLogStretch). The pass thus moves through the table twice as fast as the table grows,
// which holds the table to about twice what the logs keep, whatever the mix of busy and quiet
// checks. Where the pass stands is stored with the pings it pruned, so a restart, a rolled-back
// batch or a second process carries on from there. What readers show is unaffected: they only
// show the pings a log keeps.
import type { Executor } from '../store/executor.js';
import { prunePingLogStretch } from '../store/pings.js';
import { getSetting, putSetting } from '../store/settings.js';

/** Pings written between two stretches. Large, because a stretch frees pages only in bulk (see prunePingLogStretch). */
export const PRUNE_EVERY = 4096;
const CURSOR_SETTING = 'ping_log_prune_after';

export class PingLogPruning {
  /** Pings still to write before the next stretch; the first batch after start runs one. */
  private dueIn = 0;

  /** Inside a batch's transaction, once its pings are inserted. */
  async afterInsert(trx: Executor, inserted: number): Promise<void> {
    this.dueIn -= inserted;
    if (this.dueIn > 0) return;
    // Counted down even when the batch then rolls back: its stretch is simply done next time.
    this.dueIn = PRUNE_EVERY;
    const after = Number((await getSetting(trx, CURSOR_SETTING)) ?? 0);
    await putSetting(trx, CURSOR_SETTING, String(await prunePingLogStretch(trx, after, 2 * PRUNE_EVERY)));
  }
}
