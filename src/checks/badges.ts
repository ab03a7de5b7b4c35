// What the public badges report: the live status of a project's checks (by tag) or of one check,
// found by their badge keys. Signatures are verified by the caller before anything is read.
import type { Clock } from '../clock.js';
import { ALL_CHECKS_TAG } from '../core/badge.js';
import type { CheckStatus } from '../core/check-status.js';
import { checkStatus } from '../core/check-status.js';
import { splitTags } from '../core/tags.js';
import { findCheckByBadgeKey, findProjectByBadgeKey } from '../store/badges.js';
import { checkTimingOf } from '../store/check-mapping.js';
import { listChecks } from '../store/checks.js';
import type { Store } from '../store/database.js';
import type { CheckRow } from '../store/schema.js';

export interface CheckBadgeState {
  /** The check's name, or its UUID when it has none. */
  label: string;
  status: CheckStatus;
}

export class BadgeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Statuses of the project's checks that carry `tag` (all of them for `*`); null for an unknown project. */
  async tagStatuses(projectBadgeKey: string, tag: string): Promise<CheckStatus[] | null> {
    const project = await findProjectByBadgeKey(this.store.db, projectBadgeKey);
    if (!project) return null;
    const checks = await listChecks(this.store.db, project.id);
    const now = this.clock.now();
    return checks
      .filter((check) => tag === ALL_CHECKS_TAG || splitTags(check.tags).includes(tag))
      .map((check) => this.statusOf(check, now));
  }

  async checkBadge(checkBadgeKey: string): Promise<CheckBadgeState | null> {
    const check = await findCheckByBadgeKey(this.store.db, checkBadgeKey);
    if (!check) return null;
    return { label: check.name || check.code, status: this.statusOf(check, this.clock.now()) };
  }

  // Badges use the v2 rules: a run in progress is not a status of its own.
  private statusOf(check: CheckRow, now: number): CheckStatus {
    return checkStatus(checkTimingOf(check), now, { withStarted: false });
  }
}
