// Writes a batch of pings as one transaction that locks the checks concerned, applies each ping
// to its check in arrival order, and writes the checks, pings and flips together. The outcomes
// exist only after the commit, so an answered ping is a stored ping.
import { classifyHttpPing, urlActionWithExitCode } from '../core/ping-classify.js';
import { applyPing } from '../core/ping-effect.js';
import type { PingTarget } from '../core/ping-url.js';
import { countChecksOfOwner, findUserById, lockProjectByPingKey } from '../store/accounts.js';
import { assignPingUpdate, checkPingStateOf, pingStateColumns } from '../store/check-mapping.js';
import { assignAllProjectChannels, insertCheck } from '../store/checks.js';
import type { Store } from '../store/database.js';
import { isRetryableConflict } from '../store/dialect.js';
import type { Executor } from '../store/executor.js';
import type { CheckKey, PingCheckRow, PingUpdate } from '../store/ping-queries.js';
import { PingQueries } from '../store/ping-queries.js';
import { recordFlipsWithNotifications } from '../store/alerts.js';
import type { NewFlip, NewPing } from '../store/schema.js';
import { newCheckRow } from '../checks/new-check.js';
import { CheckCache } from './check-cache.js';
import { PingLogPruning } from './ping-log-pruning.js';
import type { PingOutcome, PingRequest } from './ping-request.js';
import type { PingWriter, WrittenBatch } from './ping-writer.js';
import { MAX_EXIT_STATUS, OUTCOME } from './ping-request.js';

const MAX_CONFLICT_RETRIES = 5;
const UA_MAX = 200;

/** The checks one batch works on, with the changes made so far held in memory. */
class BatchChecks {
  private readonly byId = new Map<number, PingCheckRow>();
  private readonly byCodeIndex = new Map<string, number>();
  private readonly byPingCodeIndex = new Map<string, number>();
  private readonly bySlug = new Map<string, number[]>();
  /** The final columns to write back, per check id. */
  readonly updates = new Map<number, PingUpdate>();

  add(rows: PingCheckRow[]): void {
    for (const row of rows) {
      if (this.byId.has(row.id)) continue;
      this.byId.set(row.id, row);
      this.byCodeIndex.set(row.code, row.id);
      this.byPingCodeIndex.set(row.ping_code, row.id);
    }
  }

  /** Rows here were read by this batch, so they are changed in place. */
  update(row: PingCheckRow, columns: PingUpdate): void {
    assignPingUpdate(row, columns);
    this.updates.set(row.id, columns);
  }

  /** Every check this batch worked on, as it leaves them. */
  rows(): IterableIterator<PingCheckRow> {
    return this.byId.values();
  }

  byCode(code: string): PingCheckRow | undefined {
    const id = this.byCodeIndex.get(code);
    return id === undefined ? undefined : this.byId.get(id);
  }

  byPingCode(pingCode: string): PingCheckRow | undefined {
    const id = this.byPingCodeIndex.get(pingCode);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Checks found for a slug URL earlier in this batch, in their current state. */
  cachedSlug(pingKey: string, slug: string): PingCheckRow[] | undefined {
    return this.bySlug.get(`${pingKey}/${slug}`)?.map((id) => this.byId.get(id) as PingCheckRow);
  }

  cacheSlug(pingKey: string, slug: string, rows: PingCheckRow[]): void {
    this.add(rows);
    this.bySlug.set(`${pingKey}/${slug}`, rows.map((row) => row.id));
  }
}

export interface StorePingWriterOptions {
  /**
   * Keep the checks in memory between batches (see check-cache.ts). Only for a SQLite connection
   * nothing but this writer writes through: the cache learns of other connections' commits, never
   * of its own connection's.
   */
  cacheChecks?: boolean;
}

/** What one transaction did, for what follows its commit. */
interface BatchResult {
  outcomes: PingOutcome[];
  checks: BatchChecks;
  /** Checks whose rows were written after ingestion had applied the pings (the run rules). */
  rewritten: ReadonlySet<number>;
}

export class StorePingWriter implements PingWriter {
  private readonly queries: PingQueries;
  private readonly cache: CheckCache | null;
  private readonly pruning = new PingLogPruning();

  constructor(
    private readonly store: Store,
    options: StorePingWriterOptions = {},
  ) {
    this.queries = new PingQueries(store);
    this.cache = options.cacheChecks && store.sqlite ? new CheckCache() : null;
  }

  async write(batch: PingRequest[]): Promise<WrittenBatch> {
    const written: WrittenBatch = { outcomes: [], earliest: null, failures: [] };
    written.outcomes = await this.writeOrSplit(batch, 0, written);
    return written;
  }

  async close(): Promise<void> {}

  /**
   * Writes a batch. If the batch fails for another reason than a conflict, its pings are written
   * one by one, so that one ping the database refuses cannot lose the others; a ping that still
   * fails is a failure (answered 503, not stored).
   */
  private async writeOrSplit(batch: PingRequest[], offset: number, written: WrittenBatch): Promise<PingOutcome[]> {
    try {
      const { outcomes, earliest } = await this.writeWithRetry(batch);
      if (earliest !== Infinity) written.earliest = Math.min(written.earliest ?? Infinity, earliest);
      return outcomes;
    } catch (error) {
      if (batch.length === 1) {
        written.failures.push({ index: offset, error });
        return [OUTCOME.unavailable];
      }
      const outcomes: PingOutcome[] = [];
      for (const [i, request] of batch.entries()) outcomes.push(...(await this.writeOrSplit([request], offset + i, written)));
      return outcomes;
    }
  }

  /** One transaction, tried again when PostgreSQL aborts it for a conflict; `earliest` as in WrittenBatch. */
  private async writeWithRetry(batch: PingRequest[]): Promise<{ outcomes: PingOutcome[]; earliest: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        let earliest = Infinity;
        const result = await this.store.db.transaction().execute((trx) =>
          this.writeBatch(trx, batch, (at) => (earliest = Math.min(earliest, at))),
        );
        this.remember(result);
        return { outcomes: result.outcomes, earliest };
      } catch (error) {
        // The rows may hold changes that were rolled back.
        this.cache?.clear();
        if (!isRetryableConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** After a commit: the cache keeps the rows as the batch wrote them, but not the ones rewritten after. */
  private remember({ checks, rewritten }: BatchResult): void {
    if (!this.cache) return;
    for (const row of checks.rows()) {
      if (rewritten.has(row.id)) this.cache.forget(row);
      else this.cache.put(row);
    }
  }

  /** The checks whose `key` is one of `values`, from the cache when it has them. */
  private async findChecks(trx: Executor, key: CheckKey, values: Set<string>): Promise<PingCheckRow[]> {
    if (!this.cache) return this.queries.lockChecks(trx, key, [...values]);
    const found: PingCheckRow[] = [];
    const missing: string[] = [];
    for (const value of values) {
      const row = this.cache.get(key, value);
      if (row) found.push(row);
      else missing.push(value);
    }
    found.push(...(await this.queries.lockChecks(trx, key, missing)));
    return found;
  }

  private async writeBatch(trx: Executor, batch: PingRequest[], noteDue: (at: number) => void): Promise<BatchResult> {
    const { queries } = this;
    // Under the write lock, so no other commit can slip in between this and the reads.
    this.cache?.sync(queries.dataVersion() as number);
    const checks = new BatchChecks();
    const codes = new Set<string>();
    const pingCodes = new Set<string>();
    for (const { route } of batch) {
      if (route.target.by === 'uuid') codes.add(route.target.code);
      else if (route.target.by === 'ping-code') pingCodes.add(route.target.pingCode);
    }
    checks.add(await this.findChecks(trx, 'code', codes));
    checks.add(await this.findChecks(trx, 'ping_code', pingCodes));

    const pings: NewPing[] = [];
    const flips: NewFlip[] = [];
    const outcomes: PingOutcome[] = [];
    for (const request of batch) {
      outcomes.push(await this.ingestOne(trx, checks, request, pings, flips));
    }

    await queries.updateChecks(trx, checks.updates);
    for (const update of checks.updates.values()) if (update.alert_after !== null) noteDue(update.alert_after);
    for (const flip of flips) noteDue(flip.created);
    await queries.insertPings(trx, pings);
    // Flips and their notifications in the same transaction; the run rules (failure threshold,
    // min duration, long runs) read the pings just written.
    const latest = batch.reduce((max, request) => Math.max(max, request.receivedAt), 0);
    const { changedChecks } = await recordFlipsWithNotifications(trx, this.store.dialect, flips, latest, pings);
    await this.pruning.afterInsert(trx, pings.length);
    return { outcomes, checks, rewritten: changedChecks };
  }

  private async resolveTarget(
    trx: Executor,
    checks: BatchChecks,
    target: PingTarget,
  ): Promise<PingCheckRow | 'missing' | 'ambiguous'> {
    if (target.by === 'uuid') return checks.byCode(target.code) ?? 'missing';
    if (target.by === 'ping-code') return checks.byPingCode(target.pingCode) ?? 'missing';
    let rows = checks.cachedSlug(target.pingKey, target.slug);
    if (!rows) {
      checks.cacheSlug(target.pingKey, target.slug, await this.queries.lockChecksBySlug(trx, target.pingKey, target.slug));
      rows = checks.cachedSlug(target.pingKey, target.slug) ?? [];
    }
    if (rows.length > 1) return 'ambiguous';
    return rows[0] ?? 'missing';
  }

  /**
   * Healthchecks' auto-provisioning: a slug URL with `?create=1` creates its check. Creation
   * happens under a lock on the project, and the slug is looked up again under that lock, so that
   * concurrent pings for a new slug create one check, not several.
   */
  private async provisionForSlug(
    trx: Executor,
    checks: BatchChecks,
    pingKey: string,
    slug: string,
    now: number,
  ): Promise<{ row: PingCheckRow; created: boolean } | 'missing' | 'ambiguous'> {
    const project = await lockProjectByPingKey(trx, this.store.dialect, pingKey);
    if (!project) return 'missing';
    const existing = await this.queries.lockChecksBySlug(trx, pingKey, slug);
    if (existing.length > 0) {
      checks.cacheSlug(pingKey, slug, existing);
      const current = checks.cachedSlug(pingKey, slug) ?? [];
      return current.length > 1 ? 'ambiguous' : { row: current[0] as PingCheckRow, created: false };
    }
    const owner = await findUserById(trx, project.owner_id);
    if (!owner) return 'missing';
    // Auto-provisioning may go up to twice the check limit, so that a burst of new jobs is not lost.
    if ((await countChecksOfOwner(trx, owner.id)) >= 2 * owner.check_limit) return 'missing';
    const row = await insertCheck(trx, newCheckRow(project.id, now, { name: slug, slug }));
    await assignAllProjectChannels(trx, row.id, project.id);
    checks.cacheSlug(pingKey, slug, [row]);
    return { row, created: true };
  }

  private async ingestOne(
    trx: Executor,
    checks: BatchChecks,
    request: PingRequest,
    pings: NewPing[],
    flips: NewFlip[],
  ): Promise<PingOutcome> {
    const { route } = request;
    const badExitStatus = route.exitStatus !== null && route.exitStatus > MAX_EXIT_STATUS;
    let row = await this.resolveTarget(trx, checks, route.target);
    if (row === 'ambiguous') return OUTCOME.ambiguous;
    let created = false;
    if (row === 'missing') {
      if (!request.create || route.target.by !== 'slug') return OUTCOME.notFound;
      // Unlike Healthchecks, a ping that is refused creates nothing: validate before creating.
      if (badExitStatus) return OUTCOME.badUrl;
      if (request.ridInvalid) return OUTCOME.badRid;
      const provisioned = await this.provisionForSlug(trx, checks, route.target.pingKey, route.target.slug, request.receivedAt);
      if (provisioned === 'missing') return OUTCOME.notFound;
      if (provisioned === 'ambiguous') return OUTCOME.ambiguous;
      row = provisioned.row;
      created = provisioned.created;
    }
    if (badExitStatus) return OUTCOME.badUrl;
    if (request.ridInvalid) return OUTCOME.badRid;

    const urlAction = urlActionWithExitCode(route.action, route.exitStatus, request.meta.exitCode);
    const action = classifyHttpPing(urlAction, request.method, request.body, {
      methods: row.methods,
      filterHttpBody: row.filter_http_body === 1,
      filterDefaultFail: row.filter_default_fail === 1,
      startKw: row.start_kw,
      successKw: row.success_kw,
      failureKw: row.failure_kw,
    });
    const exitStatus = route.exitStatus ?? request.meta.exitCode;
    const effect = applyPing(checkPingStateOf(row), {
      action,
      now: request.receivedAt,
      rid: request.rid,
      exitStatus,
      body: request.body,
    });
    // A job that reports its own runtime gives the check a duration even without a start ping.
    const reportedRuntimeMs = request.meta.runtime === null ? null : Math.round(request.meta.runtime * 1000);
    const completesRun = effect.kind === 'success' || effect.kind === 'fail';
    if (completesRun && effect.check.lastDuration === null && reportedRuntimeMs !== null) {
      effect.check.lastDuration = reportedRuntimeMs;
    }
    checks.update(row, pingStateColumns(effect.check));

    pings.push({
      check_id: row.id,
      n: effect.n,
      created: request.receivedAt,
      kind: effect.kind === 'success' ? null : effect.kind,
      scheme: request.scheme,
      remote_addr: request.remoteAddr,
      method: request.method,
      ua: request.ua.slice(0, UA_MAX),
      body: request.body.length > 0 ? request.body : null,
      rid: request.rid,
      exit_status: exitStatus,
      duration: effect.duration,
      runtime: request.meta.runtime ?? (effect.duration === null ? null : effect.duration / 1000),
      memory: request.meta.memory,
      failure_message: request.meta.failureMessage,
    });
    if (effect.flip) {
      flips.push({
        check_id: row.id,
        created: request.receivedAt,
        old_status: effect.flip.oldStatus,
        new_status: effect.flip.newStatus,
        reason: effect.flip.reason,
      });
    }
    return created ? OUTCOME.created : OUTCOME.ok;
  }
}
