// The notification outbox: rows are queued in the transaction that made the event, claimed by
// delivery workers under a lease, and finished with one conditional UPDATE per batch of results;
// every attempt is logged. Also the reads that build a message and the notification log.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { CHECK_VIEW_COLUMNS } from './checks.js';
import type { CheckView } from './checks.js';
import type { Store } from './database.js';
import type { DialectName } from './dialect.js';
import type { Executor } from './executor.js';
import { compileRowReader } from './row-arrays.js';
import { idLists, preparedStatement } from './statement-reuse.js';
import type { CheckRow, NotificationRow, NotificationState, PingRow } from './schema.js';
import type { TypedColumn } from './bulk.js';
import { insertRows, withValues } from './bulk.js';

const ERROR_MAX = 200;

// Literal states, so that both planners match the partial index notifications_due.
const DELIVERABLE = sql<boolean>`state in ('pending', 'sending')`;

export interface QueuedNotification {
  check_id: number | null;
  channel_id: number;
  status: 'up' | 'down';
  reason: string;
  event_at: number;
  downtime: number | null;
}

const NOTIFICATION_COLUMNS: TypedColumn[] = [
  ['code', 'text'],
  ['check_id', 'bigint'],
  ['channel_id', 'bigint'],
  ['status', 'text'],
  ['reason', 'text'],
  ['event_at', 'bigint'],
  ['downtime', 'bigint'],
  ['created', 'bigint'],
  ['next_attempt_at', 'bigint'],
];

/**
 * A UUID whose first 48 bits are the time (version 7): notification codes are then written in
 * order, which keeps inserting into their unique index cheap during a burst.
 */
export function timeOrderedUuid(now: number): string {
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  // The random UUID's version digit sits at index 14; its variant bits stay as they are.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${crypto.randomUUID().slice(15)}`;
}

/** Adds rows to the outbox, due at once. */
export async function queueNotifications(db: Executor, dialect: DialectName, items: QueuedNotification[], now: number): Promise<void> {
  await insertRows(
    db,
    dialect,
    'notifications',
    NOTIFICATION_COLUMNS,
    items.map((i) => [timeOrderedUuid(now), i.check_id, i.channel_id, i.status, i.reason, i.event_at, i.downtime, now, now]),
  );
}

export interface AlertTarget {
  channelId: number;
  sendUp: boolean;
  sendDown: boolean;
}

/** The enabled channels assigned to each check. */
export async function alertTargets(db: Executor, checkIds: number[]): Promise<Map<number, AlertTarget[]>> {
  const out = new Map<number, AlertTarget[]>();
  for (const ids of idLists(checkIds)) {
    const rows = await db
      .selectFrom('check_channels')
      .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
      .select(['check_channels.check_id', 'channels.id', 'channels.send_up', 'channels.send_down'])
      .where('check_channels.check_id', 'in', ids)
      .where('channels.disabled', '=', 0)
      .orderBy('channels.id')
      .execute();
    for (const row of rows) {
      const list = out.get(row.check_id) ?? [];
      list.push({ channelId: row.id, sendUp: row.send_up === 1, sendDown: row.send_down === 1 });
      out.set(row.check_id, list);
    }
  }
  return out;
}

// ---- delivery ----

export interface ClaimOptions {
  now: number;
  limit: number;
  /** How long the claim holds; a worker that dies releases its rows when it ends. */
  leaseMs: number;
  /** Unique per claim: finishing a row requires still holding it under this token. */
  token: string;
  /** Channels this worker can't send to right now (busy or out of rate). */
  skipChannels: number[];
}

/** What a delivery worker needs of a row it claimed. */
const CLAIMED_COLUMNS = ['id', 'code', 'check_id', 'channel_id', 'status', 'reason', 'event_at', 'downtime', 'attempts'] as const;
export type ClaimedNotification = Pick<NotificationRow, (typeof CLAIMED_COLUMNS)[number]>;
const claimedOf = compileRowReader<ClaimedNotification>(CLAIMED_COLUMNS);

/**
 * Takes up to `limit` due rows (pending, or sending under an expired lease), in one statement:
 * PostgreSQL locks the chosen rows and skips those other workers are claiming at the same moment.
 * The chosen ids are a CTE joined to the update (not `id IN (subquery)`, which PostgreSQL may run
 * once per due row). Rows are read as arrays: a claim takes up to a thousand.
 */
export async function claimDueNotifications(store: Store, options: ClaimOptions): Promise<ClaimedNotification[]> {
  const leaseEnd = options.now + options.leaseMs;
  const query = store.db
    .with('due', (qb) => {
      let due = qb
        .selectFrom('notifications')
        .select('id as due_id')
        .where(DELIVERABLE)
        .where('next_attempt_at', '<=', options.now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(options.limit);
      if (options.skipChannels.length > 0) due = due.where('channel_id', 'not in', options.skipChannels);
      return store.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    })
    .updateTable('notifications')
    .from('due')
    .set((eb) => ({
      state: 'sending',
      attempts: eb('notifications.attempts', '+', 1),
      claimed_by: options.token,
      claimed_until: leaseEnd,
      // A claim is due again when its lease ends: a worker that died leaves nothing stuck.
      next_attempt_at: leaseEnd,
    }))
    .whereRef('notifications.id', '=', 'due.due_id')
    .where(DELIVERABLE)
    .where('notifications.next_attempt_at', '<=', options.now)
    .returning(CLAIMED_COLUMNS);
  return (await store.readArrays(query.compile())).map(claimedOf);
}

/** When the next row falls due (a retry, or a lease that ends); null when nothing is queued. */
export async function nextNotificationDue(db: Executor): Promise<number | null> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where(DELIVERABLE)
    .executeTakeFirst();
  return row?.at ?? null;
}

export type AttemptOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; nextAttemptAt: number; error: string }
  | { kind: 'failed'; error: string; permanent: boolean }
  /** Not attempted (the channel is out of rate): due again later, the claim's attempt given back. */
  | { kind: 'deferred'; nextAttemptAt: number }
  /** Not attempted and never will be (the channel was disabled or sends nothing for the status). */
  | { kind: 'dropped'; error: string };

export interface AttemptResult {
  notificationId: number;
  channelId: number;
  token: string;
  worker: string;
  started: number;
  /** Milliseconds. */
  duration: number;
  outcome: AttemptOutcome;
}

function clip(text: string): string {
  return text.length <= ERROR_MAX ? text : text.slice(0, ERROR_MAX - 1) + '…';
}

function outcomeColumns(result: AttemptResult): [NotificationState, number | null, number, string, number] {
  const end = result.started + result.duration;
  const { outcome } = result;
  switch (outcome.kind) {
    case 'sent':
      return ['sent', end, end, '', 0];
    case 'retry':
      return ['pending', null, outcome.nextAttemptAt, clip(outcome.error), 0];
    case 'failed':
      return ['failed', null, end, clip(outcome.error), 0];
    case 'deferred':
      return ['pending', null, outcome.nextAttemptAt, '', 1];
    case 'dropped':
      return ['failed', null, end, clip(outcome.error), 1];
  }
}

function attemptError(outcome: AttemptOutcome): string {
  return outcome.kind === 'retry' || outcome.kind === 'failed' ? outcome.error : '';
}

// On SQLite, results are written row by row with statements prepared once: in-process, a
// single-row statement costs less than building, preparing and running one over a VALUES list.
const FINISH_ROW = `update notifications
  set state = ?, sent_at = ?, next_attempt_at = ?, error = ?, attempts = attempts - ?, claimed_by = null, claimed_until = null
  where id = ? and claimed_by = ?`;
const ATTEMPT_COLUMNS: TypedColumn[] = [
  ['notification_id', 'bigint'],
  ['started', 'bigint'],
  ['duration', 'bigint'],
  ['error', 'text'],
  ['worker', 'text'],
];
const INSERT_ATTEMPT = `insert into notification_attempts (${ATTEMPT_COLUMNS.map(([name]) => name).join(', ')})
  values (${ATTEMPT_COLUMNS.map(() => '?').join(', ')})`;

/**
 * Records what became of claimed rows, in the caller's transaction: each row changes only while
 * the claim that sent it still holds it, so a row is never finished twice; every real attempt is
 * logged. Returns the ids that changed.
 */
export async function recordAttemptResults(trx: Executor, store: Store, results: AttemptResult[]): Promise<Set<number>> {
  const changed = new Set<number>();
  if (store.sqlite !== null) {
    const finish = preparedStatement(store.sqlite, FINISH_ROW);
    for (const result of results) {
      if (finish.run(...outcomeColumns(result), result.notificationId, result.token).changes > 0) changed.add(result.notificationId);
    }
  } else {
    const rows = await withValues<{ id: number }>(
      trx,
      store.dialect,
      {
        name: 'r',
        columns: [
          ['r_id', 'bigint'],
          ['r_token', 'text'],
          ['r_state', 'text'],
          ['r_sent_at', 'bigint'],
          ['r_next', 'bigint'],
          ['r_error', 'text'],
          ['r_refund', 'bigint'],
        ],
      },
      results.map((result) => [result.notificationId, result.token, ...outcomeColumns(result)]),
      `update notifications
       set state = r_state, sent_at = r_sent_at, next_attempt_at = r_next, error = r_error,
           attempts = attempts - r_refund, claimed_by = null, claimed_until = null
       from r
       where id in {keys} and id = r_id and claimed_by = r_token
       returning id`,
    );
    for (const row of rows) changed.add(Number(row.id));
  }
  await logAttempts(
    trx,
    store,
    results
      .filter((result) => result.outcome.kind !== 'deferred' && result.outcome.kind !== 'dropped')
      .map((result) => ({
        notificationId: result.notificationId,
        channelId: result.channelId,
        worker: result.worker,
        started: result.started,
        duration: result.duration,
        error: attemptError(result.outcome),
        disableChannel: result.outcome.kind === 'failed' && result.outcome.permanent,
      })),
  );
  return changed;
}

export interface LoggedAttempt {
  notificationId: number;
  channelId: number;
  worker: string;
  started: number;
  /** Milliseconds. */
  duration: number;
  /** '' for success. */
  error: string;
  /** A permanent error: the channel is disabled until its owner fixes it. */
  disableChannel: boolean;
}

/** Logs attempts and shows each channel's latest one on the channel (last_notify, last_error). */
export async function logAttempts(trx: Executor, store: Store, attempts: LoggedAttempt[]): Promise<void> {
  const rows = attempts.map((a) => [a.notificationId, a.started, a.duration, clip(a.error), a.worker]);
  if (store.sqlite !== null) {
    const insert = preparedStatement(store.sqlite, INSERT_ATTEMPT);
    for (const row of rows) insert.run(...row);
  } else {
    await insertRows(trx, store.dialect, 'notification_attempts', ATTEMPT_COLUMNS, rows);
  }
  const latest = new Map<number, LoggedAttempt>();
  for (const attempt of attempts) latest.set(attempt.channelId, attempt);
  await withValues(
    trx,
    store.dialect,
    {
      name: 'c',
      columns: [
        ['c_id', 'bigint'],
        ['c_notify', 'bigint'],
        ['c_duration', 'bigint'],
        ['c_error', 'text'],
        ['c_disable', 'bigint'],
      ],
    },
    [...latest.values()].map((a) => [a.channelId, a.started, a.duration, clip(a.error), a.disableChannel ? 1 : 0]),
    `update channels
     set last_notify = c_notify, last_notify_duration = c_duration, last_error = c_error,
         disabled = case when c_disable = 1 then 1 else disabled end
     from c
     where id in {keys} and id = c_id`,
  );
}

// ---- what a message says ----

/** What every message may say of a check (see AlertContext.check). */
export const MESSAGE_CHECK_COLUMNS = [
  'id', 'code', 'name', 'slug', 'tags', 'description', 'kind', 'timeout', 'grace', 'schedule', 'tz', 'n_pings', 'last_ping', 'project_id',
] as const satisfies readonly (keyof CheckRow)[];
export type MessageCheck = Pick<CheckRow, (typeof MESSAGE_CHECK_COLUMNS)[number]>;
/** A MessageCheck from its MESSAGE_CHECK_COLUMNS values, in that order. */
export const messageCheckOf = compileRowReader<MessageCheck>(MESSAGE_CHECK_COLUMNS);

/** The check as its API representation shows it (webhooks' $JSON), with its project. */
const VIEW_COLUMNS = [...CHECK_VIEW_COLUMNS, 'project_id'] as const;
export type SubjectCheck = CheckView & Pick<CheckRow, 'project_id'>;
const subjectCheckOf = compileRowReader<SubjectCheck>(VIEW_COLUMNS);

export interface AlertSubject {
  check: MessageCheck;
  project: { code: string; name: string };
  /**
   * The whole check as the API shows it, with the UUIDs of its channels: read only for channels
   * whose messages may show it (ChannelDefinition.showsCheckJson). It is most of the cost of
   * reading a subject and of handing it to the sender thread.
   */
  view: { check: SubjectCheck; channelCodes: string[] } | null;
}

/**
 * The checks notifications are about, with their projects; for the checks in `withView`, also
 * their API representation and channels.
 */
export async function loadAlertSubjects(store: Store, checkIds: number[], withView: ReadonlySet<number>): Promise<Map<number, AlertSubject>> {
  const { db } = store;
  const out = new Map<number, AlertSubject>();
  const viewIds = checkIds.filter((id) => withView.has(id));
  const messageIds = checkIds.filter((id) => !withView.has(id));
  const views = new Map<number, AlertSubject['view']>();
  const checks: MessageCheck[] = [];
  for (const ids of idLists(viewIds)) {
    const rows = (await store.readArrays(db.selectFrom('checks').select(VIEW_COLUMNS).where('id', 'in', ids).compile())).map(subjectCheckOf);
    const codes = await channelCodesOf(store, ids);
    for (const check of rows) {
      checks.push(check);
      views.set(check.id, { check, channelCodes: (codes.get(check.id) ?? []).sort() });
    }
  }
  for (const ids of idLists(messageIds)) {
    checks.push(...(await store.readArrays(db.selectFrom('checks').select(MESSAGE_CHECK_COLUMNS).where('id', 'in', ids).compile())).map(messageCheckOf));
  }
  const projects = await projectsOf(store, [...new Set(checks.map((check) => check.project_id))]);
  for (const check of checks) {
    const project = projects.get(check.project_id);
    if (project) out.set(check.id, { check, project, view: views.get(check.id) ?? null });
  }
  return out;
}

async function projectsOf(store: Store, projectIds: number[]): Promise<Map<number, { code: string; name: string }>> {
  const out = new Map<number, { code: string; name: string }>();
  for (const ids of idLists(projectIds)) {
    for (const p of await store.db.selectFrom('projects').select(['id', 'code', 'name']).where('id', 'in', ids).execute()) {
      out.set(p.id, { code: p.code, name: p.name });
    }
  }
  return out;
}

/** The UUIDs of each check's channels. */
async function channelCodesOf(store: Store, checkIds: number[]): Promise<Map<number, string[]>> {
  const rows = (await store.readArrays(
    store.db
      .selectFrom('check_channels')
      .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
      .select(['check_channels.check_id', 'channels.code'])
      .where('check_channels.check_id', 'in', checkIds)
      .compile(),
  )) as [number, string][];
  const codes = new Map<number, string[]>();
  for (const [checkId, code] of rows) {
    const list = codes.get(checkId);
    if (list) list.push(code);
    else codes.set(checkId, [code]);
  }
  return codes;
}

export type LastPing = Pick<PingRow, 'kind' | 'body' | 'exit_status' | 'created'>;

/**
 * The last ping of each check at or before a moment (what a message quotes). The newest ping of
 * every check comes in one query; only a check pinged after the moment needs a query of its own.
 */
export async function lastPingsAtOrBefore(
  db: Executor,
  wanted: { checkId: number; at: number }[],
): Promise<Map<string, LastPing>> {
  const out = new Map<string, LastPing>();
  const newest = new Map<number, LastPing>();
  for (const ids of idLists(wanted.map((w) => w.checkId))) {
    const rows = await db
      .selectFrom('pings')
      .innerJoin('checks', (join) => join.onRef('checks.id', '=', 'pings.check_id').onRef('checks.n_pings', '=', 'pings.n'))
      .select(['pings.check_id', 'pings.kind', 'pings.body', 'pings.exit_status', 'pings.created'])
      .where('pings.check_id', 'in', ids)
      .execute();
    for (const { check_id, ...ping } of rows) newest.set(check_id, ping);
  }
  for (const { checkId, at } of wanted) {
    const key = lastPingKey(checkId, at);
    if (out.has(key)) continue;
    let ping = newest.get(checkId);
    if (ping && ping.created > at) {
      ping = await db
        .selectFrom('pings')
        .select(['kind', 'body', 'exit_status', 'created'])
        .where('check_id', '=', checkId)
        .where('created', '<=', at)
        .orderBy('n', 'desc')
        .limit(1)
        .executeTakeFirst();
    }
    if (ping) out.set(key, ping);
  }
  return out;
}

export function lastPingKey(checkId: number, at: number): string {
  return `${checkId}@${at}`;
}

// ---- the notification log ----

export interface NotificationLogRow {
  code: string;
  check_code: string | null;
  channel_code: string;
  status: string;
  reason: string;
  event_at: number;
  created: number;
  state: string;
  attempts: number;
  error: string;
  sent_at: number | null;
}

/** Newest first, for one check or one channel. */
export async function listNotifications(
  db: Executor,
  of: { checkId: number } | { channelId: number },
  limit: number,
): Promise<NotificationLogRow[]> {
  let query = db
    .selectFrom('notifications')
    .innerJoin('channels', 'channels.id', 'notifications.channel_id')
    .leftJoin('checks', 'checks.id', 'notifications.check_id')
    .select([
      'notifications.code',
      'checks.code as check_code',
      'channels.code as channel_code',
      'notifications.status',
      'notifications.reason',
      'notifications.event_at',
      'notifications.created',
      'notifications.state',
      'notifications.attempts',
      'notifications.error',
      'notifications.sent_at',
    ]);
  query =
    'checkId' in of
      ? query.where('notifications.check_id', '=', of.checkId)
      : query.where('notifications.channel_id', '=', of.channelId);
  return query.orderBy('notifications.id', 'desc').limit(limit).execute();
}

/** A test send, logged like any notification once it is done; returns its id. */
export async function insertFinishedNotification(
  db: Executor,
  row: QueuedNotification & { created: number; state: 'sent' | 'failed'; error: string; sent_at: number | null },
): Promise<number> {
  const inserted = await db
    .insertInto('notifications')
    .values({ ...row, error: clip(row.error), code: timeOrderedUuid(row.created), next_attempt_at: row.created, attempts: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The id of the newest notification row, test sends included; null when there is none. */
export async function maxNotificationId(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return row?.id === undefined || row.id === null ? null : Number(row.id);
}
