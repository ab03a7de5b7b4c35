// Alerting's queries: deadlines that came due, reminders, flips still to announce, and flips
// recorded together with their notifications. Several processes may run these against one
// PostgreSQL: rows are claimed with FOR UPDATE SKIP LOCKED and changed only under the condition
// that they still hold the values that were read, so each deadline makes exactly one flip.
import { sql } from 'kysely';
import type { CompiledQuery, Expression, SqlBool } from 'kysely';
import type { AlertRules, FlipEvent } from '../core/alert-rules.js';
import { alertDeadline, announceFlip, failureThresholdReached, firstReminderAt, nextReminderAt, runVerdict } from '../core/alert-rules.js';
import type { StoredStatus } from '../core/check-status.js';
import { checkTimingOf } from './check-mapping.js';
import type { Store } from './database.js';
import type { DialectName } from './dialect.js';
import type { Executor } from './executor.js';
import type { QueuedNotification } from './notifications.js';
import { alertTargets, queueNotifications } from './notifications.js';
import { compileRowReader } from './row-arrays.js';
import { idLists, sqliteArrays } from './statement-reuse.js';
import type { CheckRow, NewFlip, NewPing } from './schema.js';
import { insertRows, withValues } from './bulk.js';

// Literal conditions, so that both planners match the partial indexes.
const NOT_DOWN = sql<boolean>`status <> 'down'`;
const UP_DOWN_CHANGE = sql<boolean>`old_status in ('up', 'down') and new_status in ('up', 'down')`;

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** A check's schedule and where it is in it: with max_duration, what checkTimingOf needs. */
const SCHEDULE_COLUMNS = ['status', 'kind', 'timeout', 'grace', 'schedule', 'tz', 'last_ping', 'last_start'] as const;

// ---- rules ----

const RULE_COLUMNS = [
  'id',
  'alert_on_missed',
  'alert_on_fail',
  'alert_on_stuck',
  'alert_on_long',
  'max_duration',
  'min_duration',
  'failure_threshold',
  'reminder_interval',
  'flap_threshold',
  'flap_window',
  'next_reminder_at',
  'flap_notified_at',
] as const;

type RuleRow = Pick<CheckRow, (typeof RULE_COLUMNS)[number]>;

export function alertRulesOf(row: Omit<RuleRow, 'id' | 'next_reminder_at' | 'flap_notified_at'>): AlertRules {
  return {
    alertOnMissed: row.alert_on_missed === 1,
    alertOnFail: row.alert_on_fail === 1,
    alertOnStuck: row.alert_on_stuck === 1,
    alertOnLong: row.alert_on_long === 1,
    maxDuration: row.max_duration,
    minDuration: row.min_duration,
    failureThreshold: row.failure_threshold,
    reminderInterval: row.reminder_interval,
    flapThreshold: row.flap_threshold,
    flapWindow: row.flap_window,
  };
}

async function loadRuleRows(db: Executor, checkIds: number[]): Promise<Map<number, RuleRow>> {
  const out = new Map<number, RuleRow>();
  for (const ids of idLists(checkIds)) {
    for (const row of await db.selectFrom('checks').select(RULE_COLUMNS).where('id', 'in', ids).execute()) {
      out.set(row.id, row);
    }
  }
  return out;
}

// ---- what falls due: deadlines and reminders ----

/** A moment kept on checks, with the condition that matches its partial index. */
interface Schedule {
  column: 'alert_after' | 'next_reminder_at';
  /** Rows that can fall due (both planners match the partial index only on this literal form). */
  open: Expression<SqlBool>;
}

const DEADLINES: Schedule = { column: 'alert_after', open: NOT_DOWN };
const REMINDERS: Schedule = { column: 'next_reminder_at', open: sql<boolean>`next_reminder_at is not null` };

/** Checks whose moment has passed, earliest first; PostgreSQL locks them and skips those other workers hold. */
function dueChecks(trx: Executor, dialect: DialectName, schedule: Schedule, now: number, limit: number) {
  const query = trx
    .selectFrom('checks')
    .where(schedule.open)
    .where(schedule.column, '<=', now)
    .orderBy(schedule.column)
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** The earliest moment of any check (an index lookup). */
async function earliest(db: Executor, schedule: Schedule): Promise<number | null> {
  const row = await db
    .selectFrom('checks')
    .select(schedule.column)
    .where(schedule.open)
    .where(schedule.column, 'is not', null)
    .orderBy(schedule.column)
    .limit(1)
    .executeTakeFirst();
  return row?.[schedule.column] ?? null;
}

/** The earliest deadline of any check that is not down yet. */
export function nextDeadline(db: Executor): Promise<number | null> {
  return earliest(db, DEADLINES);
}

/** The earliest reminder due. */
export function nextReminderDue(db: Executor): Promise<number | null> {
  return earliest(db, REMINDERS);
}

/**
 * Everything deciding a check's deadline and how its change to down is announced: read once, as
 * arrays on SQLite (100,000 checks can fall due in the same second).
 */
const DUE_CHECK_COLUMNS = ['alert_after', ...SCHEDULE_COLUMNS, ...RULE_COLUMNS] as const;

export type DueDeadline = Pick<CheckRow, (typeof DUE_CHECK_COLUMNS)[number]> & { alert_after: number };
const dueDeadlineOf = compileRowReader<DueDeadline>(DUE_CHECK_COLUMNS);

/** The earliest deadlines that have passed, oldest first; run in a transaction. */
export async function claimDueDeadlines(trx: Executor, store: Store, now: number, limit: number): Promise<DueDeadline[]> {
  return readRows(trx, store, dueChecks(trx, store.dialect, DEADLINES, now, limit).select(DUE_CHECK_COLUMNS).compile(), dueDeadlineOf);
}

/**
 * Runs a SELECT in the caller's transaction. On SQLite the rows come straight from the
 * connection the transaction holds, as arrays turned into objects of one shape (see row-arrays.ts).
 */
async function readRows<Row>(trx: Executor, store: Store, query: CompiledQuery, rowOf: (values: unknown[]) => Row): Promise<Row[]> {
  if (store.sqlite === null) return (await trx.executeQuery<Row>(query)).rows;
  return sqliteArrays(store.sqlite, query).map(rowOf);
}

export interface MissedDeadline {
  id: number;
  /** The check's alert rules as read with its deadline. */
  rules: RuleRow;
  /** The stored status and deadline that were read: the check changes only if they still hold. */
  status: StoredStatus;
  seen: number;
  /** The exact moment the check went down. */
  at: number;
  reason: 'timeout' | 'stuck';
}

/**
 * Marks checks down whose deadline passed, each only if nothing changed it since it was read,
 * and records their flips (timestamped at the deadline) with their notifications. Returns how
 * many checks went down and how many notifications were queued.
 */
export async function markChecksDown(
  trx: Executor,
  dialect: DialectName,
  missed: MissedDeadline[],
  now: number,
): Promise<{ down: number; notifications: number }> {
  const changed = await withValues<{ id: number }>(
    trx,
    dialect,
    { name: 'due', columns: [['due_id', 'bigint'], ['due_status', 'text'], ['due_seen', 'bigint']] },
    missed.map((m) => [m.id, m.status, m.seen]),
    `update checks set status = 'down', alert_after = null
     from due
     where id in {keys} and id = due_id and status = due_status and alert_after = due_seen
     returning id`,
  );
  const ids = new Set(changed.map((row) => Number(row.id)));
  const down = missed.filter((m) => ids.has(m.id));
  const flips = down.map((m) => ({ id: null, check_id: m.id, created: m.at, old_status: m.status, new_status: 'down', reason: m.reason }));
  const rules = new Map(down.map((m) => [m.id, m.rules]));
  return { down: flips.length, notifications: await announceFlips(trx, dialect, flips, now, rules) };
}

/** Moves deadlines that came due without the check going down (or that can't be computed). */
export async function rescheduleDeadlines(
  trx: Executor,
  dialect: DialectName,
  rows: { id: number; seen: number; next: number | null }[],
): Promise<void> {
  await withValues(
    trx,
    dialect,
    { name: 'due', columns: [['due_id', 'bigint'], ['due_seen', 'bigint'], ['due_next', 'bigint']] },
    rows.map((r) => [r.id, r.seen, r.next]),
    'update checks set alert_after = due_next from due where id in {keys} and id = due_id and alert_after = due_seen',
  );
}

// ---- reminders ----

export interface DueReminder {
  id: number;
  status: StoredStatus;
  next_reminder_at: number;
  reminder_interval: number | null;
}

export async function claimDueReminders(trx: Executor, dialect: DialectName, now: number, limit: number): Promise<DueReminder[]> {
  return (await dueChecks(trx, dialect, REMINDERS, now, limit)
    .select(['id', 'status', 'next_reminder_at', 'reminder_interval'])
    .execute()) as DueReminder[];
}

/**
 * Queues a reminder for each check still down and schedules its next one (the reminders missed
 * while nothing ran are folded into this one); a check that recovered meanwhile stops reminding.
 * Returns how many notifications were queued.
 */
export async function queueReminders(trx: Executor, dialect: DialectName, due: DueReminder[], now: number): Promise<number> {
  const active = due.filter((r) => r.status === 'down' && r.reminder_interval !== null && r.reminder_interval > 0);
  const downs = await latestDownFlips(
    trx,
    active.map((r) => r.id),
    null,
  );
  const targets = await alertTargets(
    trx,
    active.map((r) => r.id),
  );
  const queued: QueuedNotification[] = [];
  for (const reminder of active) {
    const down = downs.get(reminder.id);
    if (!down?.alerted) continue;
    for (const target of targets.get(reminder.id) ?? []) {
      if (!target.sendDown) continue;
      queued.push({
        check_id: reminder.id,
        channel_id: target.channelId,
        status: 'down',
        reason: 'reminder',
        event_at: reminder.next_reminder_at,
        downtime: reminder.next_reminder_at - down.created,
      });
    }
  }
  await queueNotifications(trx, dialect, queued, now);

  const activeIds = new Set(active.map((r) => r.id));
  await withValues(
    trx,
    dialect,
    { name: 'due', columns: [['due_id', 'bigint'], ['due_seen', 'bigint'], ['due_next', 'bigint']] },
    due.map((r) => [
      r.id,
      r.next_reminder_at,
      activeIds.has(r.id) ? nextReminderAt(r.next_reminder_at, r.reminder_interval as number, now) : null,
    ]),
    'update checks set next_reminder_at = due_next from due where id in {keys} and id = due_id and next_reminder_at = due_seen',
  );
  return queued.length;
}

// ---- flips ----

interface PendingFlip {
  /** Null for a flip not inserted yet. */
  id: number | null;
  check_id: number;
  created: number;
  old_status: string;
  new_status: string;
  reason: string;
}

interface DownFlip {
  created: number;
  alerted: boolean;
}

/** Each check's latest change to down (before flip id `before`, when given). */
async function latestDownFlips(db: Executor, checkIds: number[], before: number | null): Promise<Map<number, DownFlip>> {
  const out = new Map<number, DownFlip>();
  for (const ids of idLists(checkIds)) {
    const rows = await db
      .selectFrom('flips')
      .select(['check_id', 'created', 'alerted'])
      .where('id', 'in', (eb) => {
        let latest = eb
          .selectFrom('flips')
          .select((inner) => inner.fn.max('id').as('id'))
          .where('check_id', 'in', ids)
          .where('new_status', '=', 'down');
        if (before !== null) latest = latest.where('id', '<', before);
        return latest.groupBy('check_id');
      })
      .execute();
    for (const row of rows) out.set(row.check_id, { created: row.created, alerted: row.alerted === 1 });
  }
  return out;
}

/** When each check changed between up and down after `since` (before flip id `before`). */
async function recentChanges(db: Executor, checkIds: number[], since: number, before: number | null): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const ids of idLists(checkIds)) {
    let query = db
      .selectFrom('flips')
      .select(['check_id', 'created'])
      .where('check_id', 'in', ids)
      .where('created', '>', since)
      .where(UP_DOWN_CHANGE);
    if (before !== null) query = query.where('id', '<', before);
    for (const row of await query.execute()) out.set(row.check_id, [...(out.get(row.check_id) ?? []), row.created]);
  }
  return out;
}

interface CheckAlertState {
  /** The change to down the check is in (for its recovery). */
  downSince: Pick<DownFlip, 'created' | 'alerted'> | null;
  recent: number[];
  flapNotifiedAt: number | null;
  nextReminderAt: number | null;
  changed: boolean;
}

/**
 * Decides which flips are announced (core/alert-rules.ts), stores the flips (inserting new ones,
 * marking existing ones), queues one notification per enabled channel that sends something for the
 * new status, and keeps the checks' reminder and flapping state. Flips are in order of time; the
 * checks' rules are read unless the caller has them.
 */
async function announceFlips(
  trx: Executor,
  dialect: DialectName,
  flips: PendingFlip[],
  now: number,
  knownRules?: Map<number, RuleRow>,
): Promise<number> {
  if (flips.length === 0) return 0;
  const checkIds = unique(flips.map((f) => f.check_id));
  const rules = knownRules ?? (await loadRuleRows(trx, checkIds));
  const existingIds = flips.flatMap((f) => (f.id === null ? [] : [f.id]));
  const before = existingIds.length > 0 ? Math.min(...existingIds) : null;
  const downs = await latestDownFlips(
    trx,
    flips.filter((f) => f.new_status === 'up' && f.old_status === 'down').map((f) => f.check_id),
    before,
  );
  const watched = checkIds.filter((id) => rules.get(id)?.flap_threshold != null && rules.get(id)?.flap_window != null);
  const longestWindow = Math.max(0, ...watched.map((id) => (rules.get(id)?.flap_window ?? 0) * 1000));
  const history =
    watched.length === 0
      ? new Map<number, number[]>()
      : await recentChanges(trx, watched, Math.min(...flips.map((f) => f.created)) - longestWindow, before);

  const states = new Map<number, CheckAlertState>();
  const stateOf = (row: RuleRow): CheckAlertState => {
    let state = states.get(row.id);
    if (!state) {
      state = {
        downSince: downs.get(row.id) ?? null,
        recent: history.get(row.id) ?? [],
        flapNotifiedAt: row.flap_notified_at,
        nextReminderAt: row.next_reminder_at,
        changed: false,
      };
      states.set(row.id, state);
    }
    return state;
  };

  const announced: { flip: PendingFlip; status: 'up' | 'down'; reason: string; downtime: number | null }[] = [];
  const alerted = new Set<PendingFlip>();
  for (const flip of flips) {
    const row = rules.get(flip.check_id);
    if (!row) continue;
    const state = stateOf(row);
    const event: FlipEvent = { oldStatus: flip.old_status, newStatus: flip.new_status, reason: flip.reason, at: flip.created };
    const ruleSet = alertRulesOf(row);
    const decision = announceFlip(event, ruleSet, {
      downSince: state.downSince && { at: state.downSince.created, alerted: state.downSince.alerted },
      recentChanges: state.recent,
      flapNotifiedAt: state.flapNotifiedAt,
    });
    if (event.newStatus === 'down') state.downSince = { created: flip.created, alerted: decision.announce };
    if (['up', 'down'].includes(event.oldStatus) && ['up', 'down'].includes(event.newStatus)) state.recent.push(flip.created);
    const reminder = decision.announce && event.newStatus === 'down' ? firstReminderAt(ruleSet, now) : null;
    if (reminder !== state.nextReminderAt) {
      state.nextReminderAt = reminder;
      state.changed = true;
    }
    if (!decision.announce) continue;
    alerted.add(flip);
    if (decision.reason === 'flapping') {
      state.flapNotifiedAt = flip.created;
      state.changed = true;
    }
    announced.push({ flip, status: decision.status, reason: decision.reason, downtime: decision.downtimeMs });
  }

  await storeFlips(trx, dialect, flips, alerted, now);
  const targets = await alertTargets(
    trx,
    announced.map((a) => a.flip.check_id),
  );
  const queued: QueuedNotification[] = [];
  for (const { flip, status, reason, downtime } of announced) {
    for (const target of targets.get(flip.check_id) ?? []) {
      if (!(status === 'up' ? target.sendUp : target.sendDown)) continue;
      queued.push({
        check_id: flip.check_id,
        channel_id: target.channelId,
        status,
        reason,
        event_at: flip.created,
        downtime,
      });
    }
  }
  await queueNotifications(trx, dialect, queued, now);
  await saveAlertStates(trx, dialect, states);
  return queued.length;
}

/** Inserts new flips (handled: processed now) and marks announced ones. */
async function storeFlips(trx: Executor, dialect: DialectName, flips: PendingFlip[], alerted: Set<PendingFlip>, now: number): Promise<void> {
  await insertRows(
    trx,
    dialect,
    'flips',
    [
      ['check_id', 'bigint'],
      ['created', 'bigint'],
      ['old_status', 'text'],
      ['new_status', 'text'],
      ['reason', 'text'],
      ['processed', 'bigint'],
      ['alerted', 'bigint'],
    ],
    flips.filter((f) => f.id === null).map((f) => [f.check_id, f.created, f.old_status, f.new_status, f.reason, now, alerted.has(f) ? 1 : 0]),
  );
  const marked = flips.flatMap((f) => (f.id !== null && alerted.has(f) ? [f.id] : []));
  for (const chunk of idLists(marked)) {
    await trx.updateTable('flips').set({ alerted: 1 }).where('id', 'in', chunk).execute();
  }
}

async function saveAlertStates(trx: Executor, dialect: DialectName, states: Map<number, CheckAlertState>): Promise<void> {
  await withValues(
    trx,
    dialect,
    { name: 's', columns: [['s_id', 'bigint'], ['s_reminder', 'bigint'], ['s_flap', 'bigint']] },
    [...states.entries()].filter(([, state]) => state.changed).map(([id, state]) => [id, state.nextReminderAt, state.flapNotifiedAt]),
    'update checks set next_reminder_at = s_reminder, flap_notified_at = s_flap from s where id in {keys} and id = s_id',
  );
}

/**
 * Flips written without their notifications (by older code, or by any writer that inserts plain
 * flips) are announced here, as Healthchecks' sendalerts does: claimed by setting `processed`,
 * in the same transaction as their notifications. Returns how many flips and notifications.
 */
export async function announceUnprocessedFlips(
  trx: Executor,
  dialect: DialectName,
  now: number,
  limit: number,
): Promise<{ flips: number; notifications: number }> {
  const query = trx
    .selectFrom('flips')
    .select(['id', 'check_id', 'created', 'old_status', 'new_status', 'reason'])
    .where('processed', 'is', null)
    .orderBy('id')
    .limit(limit);
  const rows = await (dialect === 'postgres' ? query.forUpdate().skipLocked() : query).execute();
  if (rows.length === 0) return { flips: 0, notifications: 0 };
  const claimed = await trx
    .updateTable('flips')
    .set({ processed: now })
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .where('processed', 'is', null)
    .returning('id')
    .execute();
  const claimedIds = new Set(claimed.map((r) => r.id));
  const flips = rows.filter((r) => claimedIds.has(r.id));
  return { flips: flips.length, notifications: await announceFlips(trx, dialect, flips, now) };
}

export async function hasUnprocessedFlips(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('flips').select('id').where('processed', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

// ---- the ping path ----

const RUN_RULE_COLUMNS = [
  'id',
  ...SCHEDULE_COLUMNS,
  'max_duration',
  'min_duration',
  'alert_on_stuck',
  'alert_on_long',
  'failure_threshold',
] as const;

type RunRuleRow = Pick<CheckRow, (typeof RUN_RULE_COLUMNS)[number]>;

function isCompletion(ping: NewPing): boolean {
  return ping.kind === null || ping.kind === undefined || ping.kind === 'fail';
}

/** The last `count` completions of a check (newest first): true for a failure. */
async function latestCompletionsFailed(db: Executor, checkId: number, count: number): Promise<boolean[]> {
  const rows = await db
    .selectFrom('pings')
    .select('kind')
    .where('check_id', '=', checkId)
    .where((eb) => eb.or([eb('kind', 'is', null), eb('kind', '=', 'fail')]))
    .orderBy('n', 'desc')
    .limit(count)
    .execute();
  return rows.map((r) => r.kind === 'fail');
}

/**
 * Whether the down episode that `recovery` ends was announced. A change to down earlier in the
 * same batch counts as announced (it is decided later, with the batch's other flips): the old
 * episode simply goes on.
 */
async function downWasAnnounced(trx: Executor, flips: NewFlip[], recovery: NewFlip): Promise<boolean> {
  const earlier = flips.slice(0, flips.indexOf(recovery));
  if (earlier.some((f) => f.check_id === recovery.check_id && f.new_status === 'down')) return true;
  return (await latestDownFlips(trx, [recovery.check_id], null)).get(recovery.check_id)?.alerted ?? false;
}

/**
 * Applies the rules that depend on a batch's pings to the flips ingestion computed: a failure
 * below the check's failure threshold leaves the check as it was; a run that finished too late or
 * too early (when watched) takes the check down. Only the last completion of each check in the
 * batch is judged. Returns the flips to record and the checks whose status and deadline it wrote.
 */
async function applyRunRules(
  trx: Executor,
  flips: NewFlip[],
  pings: readonly NewPing[],
): Promise<{ flips: NewFlip[]; changedChecks: Set<number> }> {
  const changedChecks = new Set<number>();
  const judged = pings.filter((p) => p.kind === 'fail' || (isCompletion(p) && p.duration != null));
  if (judged.length === 0) return { flips, changedChecks };
  const rows: RunRuleRow[] = [];
  for (const ids of idLists(judged.map((p) => p.check_id))) {
    rows.push(
      ...(await trx
        .selectFrom('checks')
        .select(RUN_RULE_COLUMNS)
        .where('id', 'in', ids)
        .where((eb) =>
          eb.or([
            eb('failure_threshold', '>', 1),
            eb('min_duration', 'is not', null),
            eb.and([eb('alert_on_long', '=', 1), eb('max_duration', 'is not', null)]),
          ]),
        )
        .execute()),
    );
  }
  if (rows.length === 0) return { flips, changedChecks };

  let out = [...flips];
  for (const row of rows) {
    const last = pings.filter((p) => p.check_id === row.id && isCompletion(p)).at(-1);
    if (!last) continue;
    const flip = out.filter((f) => f.check_id === row.id).at(-1);
    const flipOfLast = flip && flip.created === last.created ? flip : undefined;
    if (last.kind === 'fail') {
      if (!flipOfLast || flipOfLast.new_status !== 'down' || row.failure_threshold <= 1) continue;
      const failed = await latestCompletionsFailed(trx, row.id, row.failure_threshold);
      if (failureThresholdReached(failed, row.failure_threshold)) continue;
      // Not enough failures in a row yet: the check keeps its state and its deadline.
      const restored = { ...checkTimingOf(row), status: flipOfLast.old_status as StoredStatus };
      out = out.filter((f) => f !== flipOfLast);
      await trx
        .updateTable('checks')
        .set({ status: restored.status, alert_after: alertDeadline(restored, row.alert_on_stuck === 1) })
        .where('id', '=', row.id)
        .execute();
      changedChecks.add(row.id);
      continue;
    }
    const verdict = runVerdict(last.duration as number, {
      alertOnLong: row.alert_on_long === 1,
      maxDuration: row.max_duration,
      minDuration: row.min_duration,
    });
    if (verdict === null) continue;
    if (flipOfLast?.new_status === 'up' && flipOfLast.old_status === 'down') {
      if (await downWasAnnounced(trx, out, flipOfLast)) {
        // Still failing: the check stays down, in the same episode.
        out = out.filter((f) => f !== flipOfLast);
      } else {
        // The check went down without a word (alerts for that reason are off), so this failed run
        // is news of its own: the run ends that silent episode and starts one that is announced.
        const rejudged: NewFlip = { check_id: row.id, created: last.created, old_status: 'up', new_status: 'down', reason: verdict };
        out.splice(out.indexOf(flipOfLast) + 1, 0, rejudged);
      }
    } else if (flipOfLast?.new_status === 'up') {
      out = out.map((f) => (f === flipOfLast ? { ...f, new_status: 'down', reason: verdict } : f));
    } else if (row.status === 'up') {
      out.push({ check_id: row.id, created: last.created, old_status: 'up', new_status: 'down', reason: verdict });
    } else {
      continue;
    }
    await trx.updateTable('checks').set({ status: 'down', alert_after: null }).where('id', '=', row.id).execute();
    changedChecks.add(row.id);
  }
  return { flips: out, changedChecks };
}

/**
 * Records the flips of a batch of pings and queues their notifications, in the caller's
 * transaction (ingestion's), after the batch's pings and check updates were written. With the
 * batch's pings, the rules that judge runs and failures apply too (see applyRunRules). Returns how
 * many notifications were queued, and the checks whose status and deadline the rules wrote (they
 * differ from what ingestion wrote).
 */
export async function recordFlipsWithNotifications(
  trx: Executor,
  dialect: DialectName,
  flips: NewFlip[],
  now: number,
  pings: readonly NewPing[] = [],
): Promise<{ notifications: number; changedChecks: ReadonlySet<number> }> {
  const recorded = await applyRunRules(trx, flips, pings);
  const notifications = await announceFlips(
    trx,
    dialect,
    recorded.flips.map((f) => ({
      id: null,
      check_id: f.check_id,
      created: f.created,
      old_status: f.old_status,
      new_status: f.new_status,
      reason: f.reason ?? '',
    })),
    now,
  );
  return { notifications, changedChecks: recorded.changedChecks };
}
