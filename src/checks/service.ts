// Creating, changing and reading checks on behalf of an API caller. Every method is scoped to
// one project, so a caller can never reach another project's checks.
import type { Clock } from '../clock.js';
import { goingDownAfter } from '../core/check-status.js';
import { guessKind } from '../core/schedule/index.js';
import { slugify } from '../core/slugify.js';
import type { CheckInput } from './check-input.js';
import { countChecksOfOwner, findUserById } from '../store/accounts.js';
import { checkTimingOf, withColumns } from '../store/check-mapping.js';
import { channelCodesByCheck, findCheckByCode, insertCheck, listChecks, updateCheck } from '../store/checks.js';
import type { CheckFilter } from '../store/checks.js';
import { channelCodesOfCheck, listChannels, setCheckChannels } from '../store/channels.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import type { CheckRow, CheckUpdate, ProjectRow } from '../store/schema.js';
import { resolveChannelSpec } from './channel-spec.js';
import { newCheckRow } from './new-check.js';

export interface CheckWithChannels {
  check: CheckRow;
  channels: string[];
}

export type CreateResult = { outcome: 'created' | 'updated'; check: CheckWithChannels } | { outcome: 'over-limit' };

export class CheckNotFoundError extends Error {}
export class CheckForbiddenError extends Error {}

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
  return out;
}

function matchesUnique(row: CheckRow, input: CheckInput, fields: string[]): boolean {
  return fields.every((field) => {
    switch (field) {
      case 'name':
        return row.name === input.name;
      case 'slug':
        return row.slug === input.slug;
      case 'tags':
        return row.tags === input.tags;
      case 'timeout':
        return row.timeout === input.timeout;
      case 'grace':
        return row.grace === input.grace;
      default:
        return false;
    }
  });
}

export class CheckService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async list(project: ProjectRow, filter: CheckFilter): Promise<CheckWithChannels[]> {
    const [rows, channels] = await Promise.all([
      listChecks(this.store.db, project.id, filter),
      channelCodesByCheck(this.store.db, project.id),
    ]);
    return rows.map((check) => ({ check, channels: channels.get(check.id) ?? [] }));
  }

  /** A check of this project by UUID; a check of another project is forbidden, not missing. */
  async get(project: ProjectRow, code: string): Promise<CheckWithChannels> {
    const check = await findCheckByCode(this.store.db, code);
    if (!check) throw new CheckNotFoundError();
    if (check.project_id !== project.id) throw new CheckForbiddenError();
    return { check, channels: await channelCodesOfCheck(this.store.db, check.id) };
  }

  /** Create, or update the check that `unique` names (upsert). Channel errors change nothing. */
  async create(project: ProjectRow, input: CheckInput, version: number): Promise<CreateResult> {
    return this.store.db.transaction().execute(async (trx) => {
      const channelIds =
        input.channels === undefined ? undefined : resolveChannelSpec(input.channels, await listChannels(trx, project.id));
      const unique = input.unique ?? [];
      if (unique.length > 0 && unique.every((field) => input[field] !== undefined)) {
        const existing = (await listChecks(trx, project.id)).find((row) => matchesUnique(row, input, unique));
        if (existing) {
          const check = await this.applyUpdate(trx, existing, input, version, channelIds);
          return { outcome: 'updated', check };
        }
      }
      const owner = await findUserById(trx, project.owner_id);
      if (!owner || (await countChecksOfOwner(trx, owner.id)) >= owner.check_limit) return { outcome: 'over-limit' };
      const now = this.clock.now();
      const row = await insertCheck(trx, newCheckRow(project.id, now));
      const check = await this.applyUpdate(trx, row, input, version, channelIds);
      return { outcome: 'created', check };
    });
  }

  private async applyUpdate(
    trx: Executor,
    row: CheckRow,
    input: CheckInput,
    version: number,
    channelIds: number[] | undefined,
  ): Promise<CheckWithChannels> {
    const columns = columnsFromInput(input, version, row);
    const updated = withColumns(row, columns);
    columns.alert_after = goingDownAfter(checkTimingOf(updated));
    await updateCheck(trx, row.id, columns);
    if (channelIds !== undefined) await setCheckChannels(trx, row.id, channelIds);
    return { check: withColumns(row, columns), channels: await channelCodesOfCheck(trx, row.id) };
  }
}
