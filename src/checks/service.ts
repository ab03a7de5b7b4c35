// Creating, changing and reading checks on behalf of an API caller. Every method is scoped to
// one project, so a caller can never reach another project's checks.
import { newPingCode } from '../accounts/secrets.js';
import type { Clock } from '../clock.js';
import { splitTags } from '../core/tags.js';
import { guessKind } from '../core/schedule/index.js';
import { slugify } from '../core/slugify.js';
import type { CheckInput } from './check-input.js';
import { parseCheckInput } from './check-input.js';
import { countChecksOfOwner, findUserById } from '../store/accounts.js';
import { checkTimingOf, withColumns } from '../store/check-mapping.js';
import { deleteCheck, eachListedCheckChunk, findCheckByCode, findCheckById, insertCheck, listCheckCodes, listCheckTags, lockCheckByCode, lockCheckByColumns, updateCheck } from '../store/checks.js';
import type { CheckFilter, CheckView, UniqueColumns } from '../store/checks.js';
import { channelCodesOfCheck, listChannels, setCheckChannels } from '../store/channels.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import type { FlipFilter } from '../store/flips.js';
import { listFlips } from '../store/flips.js';
import type { PingLogRow } from '../store/pings.js';
import { findPingBody, findPreviousRunEvent, insertFlips, listPingLog, pingLogKeptAfter, pingLogLimitOfCheck } from '../store/pings.js';
import type { ChannelRow, CheckRow, CheckUpdate, FlipRow, ProjectRow } from '../store/schema.js';
import { resolveChannelSpec } from './channel-spec.js';
import { withDeadline } from './deadline.js';
import { newCheckRow } from './new-check.js';
import type { StatusChange } from './pause-rules.js';
import { pausedColumns, resumedColumns } from './pause-rules.js';
import { MAX_DURATION_MS, durationFromPrevious, pairDurations } from './ping-durations.js';
import { uniqueKey } from './unique-key.js';

/** Checks read per piece when a whole list is collected. */
const LIST_CHUNK = 1000;

export interface CheckWithChannels<Row extends CheckView = CheckRow> {
  check: Row;
  channels: string[];
}

export type CreateResult = { outcome: 'created' | 'updated'; check: CheckWithChannels } | { outcome: 'over-limit' };

export interface PingLogEntry extends PingLogRow {
  /** Milliseconds since the run's start, for completions paired with a start; else null. */
  duration: number | null;
}

export class CheckNotFoundError extends Error {}
export class CheckForbiddenError extends Error {}
/** Resume was asked of a check that is not paused. */
export class CheckNotPausedError extends Error {}

/** The API shows at most this many pings, whatever a user's ping log limit. */
export const PING_LOG_PAGE_LIMIT = 1000;

/** The column changes an API input asks for (spec §3.5), before alert_after is recomputed. */
export function columnsFromInput(input: CheckInput, version: number, current: CheckUpdate): CheckUpdate {
  const out: CheckUpdate = {};
  if (input.name !== undefined) {
    out.name = input.name;
    if (version < 3) out.slug = slugify(input.name);
  }
  if (input.slug !== undefined) out.slug = input.slug;
  if (input.tags !== undefined) out.tags = input.tags;
  if (input.desc !== undefined) out.description = input.desc;
  if (input.grace !== undefined) out.grace = input.grace;
  if (input.tz !== undefined) out.tz = input.tz;
  if (input.manual_resume !== undefined) out.manual_resume = input.manual_resume ? 1 : 0;
  if (input.methods !== undefined) out.methods = input.methods;
  if (input.schedule !== undefined && input.schedule !== '') {
    out.kind = guessKind(input.schedule);
    out.schedule = input.schedule;
  } else if (input.timeout !== undefined) {
    out.kind = 'simple';
    out.timeout = input.timeout;
  }
  // The legacy subject fields set keywords and switch subject filtering on or off with them.
  const successKw = () => out.success_kw ?? current.success_kw ?? '';
  const failureKw = () => out.failure_kw ?? current.failure_kw ?? '';
  if (input.subject !== undefined) {
    out.success_kw = input.subject;
    out.filter_subject = successKw() || failureKw() ? 1 : 0;
  }
  if (input.subject_fail !== undefined) {
    out.failure_kw = input.subject_fail;
    out.filter_subject = successKw() || failureKw() ? 1 : 0;
  }
  if (input.start_kw !== undefined) out.start_kw = input.start_kw;
  if (input.success_kw !== undefined) out.success_kw = input.success_kw;
  if (input.failure_kw !== undefined) out.failure_kw = input.failure_kw;
  if (input.filter_subject !== undefined) out.filter_subject = input.filter_subject ? 1 : 0;
  if (input.filter_body !== undefined) out.filter_body = input.filter_body ? 1 : 0;
  if (input.filter_http_body !== undefined) out.filter_http_body = input.filter_http_body ? 1 : 0;
  if (input.filter_default_fail !== undefined) out.filter_default_fail = input.filter_default_fail ? 1 : 0;
  if (input.max_duration !== undefined) out.max_duration = input.max_duration;
  if (input.alert_on_missed !== undefined) out.alert_on_missed = input.alert_on_missed ? 1 : 0;
  if (input.alert_on_fail !== undefined) out.alert_on_fail = input.alert_on_fail ? 1 : 0;
  if (input.alert_on_stuck !== undefined) out.alert_on_stuck = input.alert_on_stuck ? 1 : 0;
  if (input.alert_on_long !== undefined) out.alert_on_long = input.alert_on_long ? 1 : 0;
  return out;
}

/** The columns an upsert matches on, or null when a listed field is missing (then: create). */
function uniqueColumns(input: CheckInput): UniqueColumns | null {
  const unique = input.unique ?? [];
  if (unique.length === 0 || !unique.every((field) => input[field] !== undefined)) return null;
  const columns: UniqueColumns = {};
  for (const field of unique) {
    if (field === 'timeout' || field === 'grace') columns[field] = input[field] as number;
    else columns[field] = input[field] as string;
  }
  return columns;
}

export class CheckService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The project's checks with the columns of their API representation. */
  async list(project: ProjectRow, filter: CheckFilter): Promise<CheckWithChannels<CheckView>[]> {
    const out: CheckWithChannels<CheckView>[] = [];
    await this.listInChunks(project, filter, LIST_CHUNK, (items) => out.push(...items));
    return out;
  }

  /**
   * The project's checks, handed over `size` at a time as they are read, for callers that turn
   * each piece into output before the next (a list of 10,000 is then never held whole).
   * `onChunk` runs while the read is open and must not query the database.
   */
  async listInChunks(
    project: ProjectRow,
    filter: CheckFilter,
    size: number,
    onChunk: (items: CheckWithChannels<CheckView>[]) => void,
  ): Promise<void> {
    await eachListedCheckChunk(this.store, project.id, filter, size, onChunk);
  }

  /** A check of this project by UUID; a check of another project is forbidden, not missing. */
  async get(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    const { check } = await this.getOwn(this.store.db, project, code);
    return { check, channels: await channelCodesOfCheck(this.store.db, check.id) };
  }

  /**
   * Create, or update the check that `unique` names (upsert). As in Healthchecks, the check quota
   * is checked before the channels; a channel error changes nothing.
   */
  async create(project: ProjectRow, input: CheckInput, version: number): Promise<CreateResult> {
    return this.store.db.transaction().execute(async (trx) => {
      const match = uniqueColumns(input);
      const existing = match === null ? undefined : await lockCheckByColumns(trx, this.store.dialect, project.id, match);
      if (existing) {
        const channelIds = await this.channelIds(trx, project, input);
        return { outcome: 'updated', check: await this.applyUpdate(trx, existing, input, version, channelIds) };
      }
      const owner = await findUserById(trx, project.owner_id);
      if (!owner || (await countChecksOfOwner(trx, owner.id)) >= owner.check_limit) return { outcome: 'over-limit' };
      const channelIds = await this.channelIds(trx, project, input);
      const row = await insertCheck(trx, newCheckRow(project.id, this.clock.now()));
      return { outcome: 'created', check: await this.applyUpdate(trx, row, input, version, channelIds) };
    });
  }

  /**
   * Changes the fields present in `body` (validated after the lookup, as Healthchecks does) and
   * nothing else, so that pings arriving meanwhile keep their effect.
   */
  async update(project: ProjectRow, code: string, body: Record<string, unknown>, version: number): Promise<CheckWithChannels> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await this.lockOwnCheck(trx, project, code);
      const input = parseCheckInput(body);
      const channelIds = await this.channelIds(trx, project, input);
      return this.applyUpdate(trx, row, input, version, channelIds);
    });
  }

  /** Deletes a check and returns it as it was just before. */
  async remove(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await this.lockOwnCheck(trx, project, code);
      const channels = await channelCodesOfCheck(trx, row.id);
      await deleteCheck(trx, row.id);
      return { check: row, channels };
    });
  }

  /** Stops monitoring: an already paused check is left alone; otherwise a handled flip is kept. */
  async pause(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    return this.changeStatus(project, code, pausedColumns);
  }

  /** Back to `new` from `paused` only, forgetting the last ping; anything else is refused. */
  async resume(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    return this.changeStatus(project, code, (row) => {
      const columns = resumedColumns(row);
      if (columns === null) throw new CheckNotPausedError();
      return columns;
    });
  }

  /** A new 8-character ping code; the old one stops working with the commit. */
  async rotatePingCode(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await this.lockOwnCheck(trx, project, code);
      const columns: CheckUpdate = { ping_code: newPingCode() };
      await updateCheck(trx, row.id, columns);
      return { check: withColumns(row, columns), channels: await channelCodesOfCheck(trx, row.id) };
    });
  }

  /** A check of this project by its read-only identifier; other projects are never searched. */
  async findByUniqueKey(project: ProjectRow, key: string): Promise<CheckWithChannels | undefined> {
    const match = (await listCheckCodes(this.store.db, project.id)).find((item) => uniqueKey(item.code) === key);
    const check = match && (await findCheckById(this.store.db, match.id));
    return check ? { check, channels: await channelCodesOfCheck(this.store.db, check.id) } : undefined;
  }

  /**
   * The newest pings of a check (at most the owner's ping log limit, and never more than 1,000),
   * newest first, with run durations computed in one pass plus at most ten look-ups.
   */
  async pingLog(project: ProjectRow, code: string): Promise<{ check: CheckRow; pings: PingLogEntry[] }> {
    const { db } = this.store;
    const { check } = await this.getOwn(db, project, code);
    const limit = Math.min(await pingLogLimitOfCheck(db, check.id), PING_LOG_PAGE_LIMIT);
    const rows = await listPingLog(db, check.id, limit);
    const { durations, lookups } = pairDurations(rows);
    for (const index of lookups) {
      const ping = rows[index] as PingLogRow;
      const previous = await findPreviousRunEvent(db, check.id, ping.n, ping.created - MAX_DURATION_MS, ping.rid);
      durations[index] = durationFromPrevious(ping, previous);
    }
    return { check, pings: rows.map((row, i) => ({ ...row, duration: durations[i] ?? null })) };
  }

  /**
   * The stored body of ping `n`, or null when there is none to show: pruned, missing or empty.
   */
  async pingBody(project: ProjectRow, code: string, n: number): Promise<Buffer | null> {
    const { db } = this.store;
    const { check } = await this.getOwn(db, project, code);
    // Pings at or below this number are due for pruning, even if they are still stored.
    if (n <= (await pingLogKeptAfter(db, check))) return null;
    const body = await findPingBody(db, check.id, n);
    return body && body.length > 0 ? body : null;
  }

  /** A check's flips, newest first, by UUID (`code`) or by the check row already found. */
  async flips(project: ProjectRow, check: string | CheckRow, filter: FlipFilter): Promise<FlipRow[]> {
    const row = typeof check === 'string' ? (await this.getOwn(this.store.db, project, check)).check : check;
    return listFlips(this.store.db, row.id, filter);
  }

  /** Every distinct tag used by the project's checks, sorted. */
  async tags(project: ProjectRow): Promise<string[]> {
    const tags = new Set((await listCheckTags(this.store.db, project.id)).flatMap(splitTags));
    return [...tags].sort();
  }

  async channels(project: ProjectRow): Promise<ChannelRow[]> {
    return listChannels(this.store.db, project.id);
  }

  private async getOwn(db: Executor, project: ProjectRow, code: string): Promise<{ check: CheckRow }> {
    const check = await findCheckByCode(db, code);
    if (!check) throw new CheckNotFoundError();
    if (check.project_id !== project.id) throw new CheckForbiddenError();
    return { check };
  }

  /** The check with this UUID, locked for the transaction; missing → 404, foreign → 403. */
  private async lockOwnCheck(trx: Executor, project: ProjectRow, code: string): Promise<CheckRow> {
    const row = await lockCheckByCode(trx, this.store.dialect, code);
    if (!row) throw new CheckNotFoundError();
    if (row.project_id !== project.id) throw new CheckForbiddenError();
    return row;
  }

  /** Applies a status change decided by `decide` (null = none) with its flip, already handled. */
  private async changeStatus(
    project: ProjectRow,
    code: string,
    decide: (row: CheckRow) => StatusChange | null,
  ): Promise<CheckWithChannels> {
    return this.store.db.transaction().execute(async (trx) => {
      let row = await this.lockOwnCheck(trx, project, code);
      const change = decide(row);
      if (change) {
        const now = this.clock.now();
        // API status changes are never alerted: the flip is recorded as processed.
        await insertFlips(trx, [
          { check_id: row.id, created: now, processed: now, old_status: row.status, new_status: change.status },
        ]);
        const columns = withDeadline(row, change);
        await updateCheck(trx, row.id, columns);
        row = withColumns(row, columns);
      }
      return { check: row, channels: await channelCodesOfCheck(trx, row.id) };
    });
  }

  private async channelIds(trx: Executor, project: ProjectRow, input: CheckInput): Promise<number[] | undefined> {
    return input.channels === undefined ? undefined : resolveChannelSpec(input.channels, await listChannels(trx, project.id));
  }

  private async applyUpdate(
    trx: Executor,
    row: CheckRow,
    input: CheckInput,
    version: number,
    channelIds: number[] | undefined,
  ): Promise<CheckWithChannels> {
    const columns = withDeadline(row, columnsFromInput(input, version, row));
    await updateCheck(trx, row.id, columns);
    if (channelIds !== undefined) await setCheckChannels(trx, row.id, channelIds);
    return { check: withColumns(row, columns), channels: await channelCodesOfCheck(trx, row.id) };
  }
}
