import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One outbox entry: the immutable event and its delivery projection (the fold of its lifecycle log).
 *
 * `rk` (the rowid) is the record order. Two derived columns exist only to be indexed:
 * - `due_at`: when the entry may next be claimed (`next_attempt_at` while pending, `lease_until` while
 *   leased, `NULL` once terminal). The claim query walks `entries_due_idx` in `(due_at, rk)` order and stops
 *   at the first entry that is not due, so it reads only what it returns, however large the backlog.
 * - `backlog_at`: `recorded_at` while pending or leased, else `NULL`; `entries_backlog_idx` answers "oldest
 *   undelivered" and "oldest evictable" in O(log n). A claim never touches it, so claims do not rewrite it.
 */
export const entries = sqliteTable(
  'entries',
  {
    rk: integer('rk').primaryKey(),
    id: text('id').notNull().unique('entries_id_unique'),
    event: text('event').notNull(),
    bytes: integer('bytes').notNull(),
    status: text('status', { enum: ['pending', 'leased', 'delivered', 'dead', 'evicted'] }).notNull(),
    attempts: integer('attempts').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    updatedAt: integer('updated_at').notNull(),
    /** Number of lifecycle events; the `seq` of the next one is `version + 1`. */
    version: integer('version').notNull(),
    dueAt: integer('due_at'),
    backlogAt: integer('backlog_at'),
    /**
     * Running totals of every entry recorded up to and including this one (count and bytes). Recording
     * writes them on the row it inserts anyway, instead of also rewriting the `counters` page: one page less
     * per commit. `stats()` adds the newest row's totals to `counters`; `prune` never deletes the newest row.
     */
    totalCount: integer('total_count').notNull().default(0),
    totalBytes: integer('total_bytes').notNull().default(0),
    /** 1 while HubSpot may have the event although no answer proved it (core's `EntryState.inDoubt`). */
    inDoubt: integer('in_doubt', { mode: 'boolean' }).notNull().default(false),
    /** The HubSpot account the entry belongs to (`TimelineEventInput.account`); never part of `event`. */
    account: text('account').notNull().default('default'),
  },
  (table) => [
    index('entries_due_idx').on(table.dueAt, table.rk).where(sql`due_at IS NOT NULL`),
    // A claim, `nextDueIn(account)` and `accountsDue()` walk one account's due entries in due order.
    index('entries_account_due_idx').on(table.account, table.dueAt, table.rk).where(sql`due_at IS NOT NULL`),
    // `stats(account)`'s oldest undelivered entry.
    index('entries_account_backlog_idx')
      .on(table.account, table.backlogAt, table.rk)
      .where(sql`backlog_at IS NOT NULL`),
    index('entries_backlog_idx').on(table.backlogAt, table.rk).where(sql`backlog_at IS NOT NULL`),
    index('entries_dead_idx').on(table.rk).where(sql`status = 'dead'`),
  ],
);

/**
 * The lifecycle log: every fact of every entry's delivery, in order. `type` and `at` are the event's own; `data`
 * is the rest of it as JSON (`storage/lifecycle-codec.ts`). Stored `WITHOUT ROWID` (a hand-written migration).
 */
export const lifecycle = sqliteTable(
  'lifecycle',
  {
    rk: integer('rk').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    data: text('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.rk, table.seq] })],
);

/**
 * Running totals kept in the same transactions as the projection, so `stats()` reads one row instead of
 * counting a million. A single row with `k = 1`. `pending` and `backlog_bytes` are offsets from the newest
 * entry's `total_count` / `total_bytes` (recording adds to those instead of to this row).
 */
export const counters = sqliteTable('counters', {
  k: integer('k').primaryKey(),
  pending: integer('pending').notNull(),
  leased: integer('leased').notNull(),
  delivered: integer('delivered').notNull(),
  dead: integer('dead').notNull(),
  evicted: integer('evicted').notNull(),
  /** Bytes of pending and leased entries. */
  backlogBytes: integer('backlog_bytes').notNull(),
  /**
   * The highest reading of the wall clock any process has recorded in the file (within a second: see
   * `decisions/clock-watch.ts`). A reading well below it is a step back of the clock, which the outbox absorbs
   * once, whichever process sees it first. Kept in this row because claims and settles write it anyway.
   */
  clockHighWater: integer('clock_high_water').notNull().default(0),
});

/**
 * Each account's counts, kept in the same transactions as the projection (as `counters` keeps the totals), so
 * that `stats(account)` reads one row and `accountsDue()` visits only the accounts with undelivered entries.
 */
export const accountCounters = sqliteTable('account_counters', {
  account: text('account').primaryKey(),
  pending: integer('pending').notNull(),
  leased: integer('leased').notNull(),
  delivered: integer('delivered').notNull(),
  dead: integer('dead').notNull(),
  evicted: integer('evicted').notNull(),
  /** Bytes of the account's pending and leased entries. */
  backlogBytes: integer('backlog_bytes').notNull(),
});

/**
 * The slots of each budget's sliding window (`Outbox.budgets.take`): one row per slot taken, held (`used` 0) until
 * its request leaves or it is given back, then counted for one window from `at`. Every process on the file takes
 * its slots here, so they keep one budget per account together.
 */
export const budgetSlots = sqliteTable(
  'budget_slots',
  {
    slot: integer('slot').primaryKey(),
    key: text('key').notNull(),
    at: integer('at').notNull(),
    used: integer('used', { mode: 'boolean' }).notNull(),
  },
  (table) => [index('budget_slots_key_idx').on(table.key, table.at)],
);

/**
 * Pacing pauses shared through the file (`Outbox.budgets`): one row per budget key (a HubSpot account), with the
 * time its pause ends by the outbox's clock and why. Every process on the file sees it, and it outlives restarts,
 * so a DAILY 429 pauses every engine until HubSpot's reset. A row whose pause has ended is simply ignored.
 */
export const budgets = sqliteTable('budgets', {
  key: text('key').primaryKey(),
  pausedUntil: integer('paused_until').notNull(),
  reason: text('reason').notNull(),
});

/**
 * The process behind each lease owner, recorded by the first claim for it: its machine, boot, pid and start
 * (see `owners/process-identity.ts`). A claim on the same machine that finds an owner's process gone takes over
 * its leases at once (`LeaseExpired` with `ownerGone`) and forgets the row, so that a killed engine's events
 * resume within seconds of a restart instead of after its lease.
 */
export const owners = sqliteTable('owners', {
  owner: text('owner').primaryKey(),
  host: text('host').notNull(),
  boot: text('boot').notNull(),
  pid: integer('pid').notNull(),
  started: text('started').notNull(),
});
