// The Boxwatch Cron Checks API (seed 003) as an adapter over Lookout's checks: the same rows,
// rules and ping log as the Healthchecks API, seen through the seed's fields. A Cron Checks
// `interval_seconds` is a simple check's period, `max_duration_seconds` its stuck threshold,
// `enabled: false` a pause. Every method is scoped to the caller's project.
import type { Clock } from '../clock.js';
import { countChecksOfOwner, findUserById } from '../store/accounts.js';
import { assignAllProjectChannels, deleteCheck, insertCheck, updateCheck } from '../store/checks.js';
import type { CronCheckRow, PingPageRow } from '../store/cron-checks.js';
import { findCronCheck, listCronChecks, listPingPage, lockCheckInProject } from '../store/cron-checks.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { countPings, insertFlips, pingLogKeptAfter } from '../store/pings.js';
import type { CheckRow, CheckUpdate, NewCheck, ProjectRow } from '../store/schema.js';
import { findServer } from '../store/servers.js';
import type { CronCheckCurrent, CronCheckInput, ValidationIssue } from './cron-check-input.js';
import { parseCronCheckInput } from './cron-check-input.js';
import { withDeadline } from './deadline.js';
import { newCheckRow } from './new-check.js';
import { pausedColumns, resumedColumns } from './pause-rules.js';

/** Self-hosted Lookout has no plans; the name tells Boxwatch clients where the limit comes from. */
export const PLAN_NAME = 'self-hosted';
/** Pings shown with a check. */
export const PINGS_PER_PAGE = 25;

export interface PlanUsage {
  plan: string;
  /** The owner's check limit. */
  limit: number;
  /** Checks in all of the owner's projects: that is what the limit counts. */
  current: number;
}

export type CronCheckCreateResult =
  | { outcome: 'created'; check: CronCheckRow }
  | { outcome: 'invalid'; issues: ValidationIssue[] }
  | { outcome: 'over-limit'; usage: PlanUsage };

export type CronCheckUpdateResult =
  | { outcome: 'updated'; check: CronCheckRow }
  | { outcome: 'invalid'; issues: ValidationIssue[] }
  | { outcome: 'not-found' };

export interface CronCheckDetail {
  check: CronCheckRow;
  pings: PingPageRow[];
  pingsTotal: number;
}

function currentOf(row: CheckRow): CronCheckCurrent {
  return {
    interval: row.kind === 'simple' ? row.timeout : null,
    grace: row.grace,
    maxDuration: row.max_duration,
    alertOnLong: row.alert_on_long === 1,
  };
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** The check columns an input sets; `enabled` is a status change, handled separately. */
function columnsOf(input: CronCheckInput): Partial<NewCheck> {
  const out: Partial<NewCheck> = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.interval_seconds !== undefined) {
    out.kind = 'simple';
    out.timeout = input.interval_seconds;
  }
  if (input.grace_seconds !== undefined) out.grace = input.grace_seconds;
  if (input.max_duration_seconds !== undefined) out.max_duration = input.max_duration_seconds;
  if (input.server_id !== undefined) out.server_id = input.server_id;
  if (input.alert_on_missed !== undefined) out.alert_on_missed = flag(input.alert_on_missed);
  if (input.alert_on_fail !== undefined) out.alert_on_fail = flag(input.alert_on_fail);
  if (input.alert_on_stuck !== undefined) out.alert_on_stuck = flag(input.alert_on_stuck);
  if (input.alert_on_long !== undefined) out.alert_on_long = flag(input.alert_on_long);
  return out;
}

export class CronCheckService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async list(project: ProjectRow): Promise<{ checks: CronCheckRow[]; usage: PlanUsage }> {
    const checks = await listCronChecks(this.store.db, project.id);
    return { checks, usage: await this.usage(this.store.db, project) };
  }

  /** A check of the project by id with a page of its ping log; null when the project has no such check. */
  async get(project: ProjectRow, id: number, pingsOffset: number): Promise<CronCheckDetail | null> {
    const { db } = this.store;
    const check = await findCronCheck(db, project.id, id);
    if (!check) return null;
    const keptAfter = await pingLogKeptAfter(db, check);
    const [pings, pingsTotal] = await Promise.all([
      listPingPage(db, check.id, keptAfter, PINGS_PER_PAGE, pingsOffset),
      countPings(db, check.id, keptAfter),
    ]);
    return { check, pings, pingsTotal };
  }

  /**
   * Validates everything first (all issues at once), then the owner's check limit. A new check
   * is assigned every channel of the project, so that its alert toggles reach someone.
   */
  async create(project: ProjectRow, body: unknown): Promise<CronCheckCreateResult> {
    const { input, issues } = parseCronCheckInput(body);
    return this.store.db.transaction().execute(async (trx) => {
      issues.push(...(await this.serverIssues(trx, project, input)));
      if (issues.length > 0) return { outcome: 'invalid', issues };
      const usage = await this.usage(trx, project);
      if (usage.current >= usage.limit) return { outcome: 'over-limit', usage };
      const row = await insertCheck(trx, newCheckRow(project.id, this.clock.now(), columnsOf(input)));
      await assignAllProjectChannels(trx, row.id, project.id);
      return { outcome: 'created', check: await this.reload(trx, project, row.id) };
    });
  }

  /** Changes the fields present in the body; `enabled` pauses or resumes, with a handled flip. */
  async update(project: ProjectRow, id: number, body: unknown): Promise<CronCheckUpdateResult> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await lockCheckInProject(trx, this.store.dialect, project.id, id);
      if (!row) return { outcome: 'not-found' };
      const { input, issues } = parseCronCheckInput(body, currentOf(row));
      issues.push(...(await this.serverIssues(trx, project, input)));
      if (issues.length > 0) return { outcome: 'invalid', issues };

      let columns: CheckUpdate = columnsOf(input);
      const statusChange = input.enabled === false ? pausedColumns(row) : input.enabled === true ? resumedColumns(row) : null;
      if (statusChange) {
        Object.assign(columns, statusChange);
        const now = this.clock.now();
        // Status changes made through an API are never alerted: the flip is recorded as handled.
        await insertFlips(trx, [{ check_id: row.id, created: now, processed: now, old_status: row.status, new_status: statusChange.status }]);
      }
      columns = withDeadline(row, columns);
      await updateCheck(trx, row.id, columns);
      return { outcome: 'updated', check: await this.reload(trx, project, row.id) };
    });
  }

  /** Deletes a check with its ping log and history; false when the project has no such check. */
  async remove(project: ProjectRow, id: number): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await lockCheckInProject(trx, this.store.dialect, project.id, id);
      if (!row) return false;
      await deleteCheck(trx, row.id);
      return true;
    });
  }

  private async usage(db: Executor, project: ProjectRow): Promise<PlanUsage> {
    const owner = await findUserById(db, project.owner_id);
    const current = await countChecksOfOwner(db, project.owner_id);
    return { plan: PLAN_NAME, limit: owner?.check_limit ?? 0, current };
  }

  private async serverIssues(db: Executor, project: ProjectRow, input: CronCheckInput): Promise<ValidationIssue[]> {
    if (input.server_id === undefined || input.server_id === null) return [];
    const server = await findServer(db, project.id, input.server_id);
    return server ? [] : [{ field: 'server_id', reason: 'no such server in this project' }];
  }

  private async reload(db: Executor, project: ProjectRow, id: number): Promise<CronCheckRow> {
    const check = await findCronCheck(db, project.id, id);
    if (!check) throw new Error(`check ${id} vanished inside its own transaction`);
    return check;
  }
}
