import type Database from 'better-sqlite3';
import { BulkStatement, placeholders } from './bulk-statement.js';

/** The columns of `EntryTuple` (projection.ts), in its order; the hot reads return rows as arrays (see `rowOfTuple`). */
const TUPLE_COLUMNS = `rk, id, bytes, status, attempts, recorded_at, next_attempt_at, lease_owner, lease_until,
  last_error, updated_at, version, in_doubt, account`;

/**
 * The claim query, of one account. It must walk `entries_account_due_idx` in its ORDER BY order and stop after
 * `LIMIT` rows: no temporary B-tree, no scan of entries that are not due. A test checks its `EXPLAIN QUERY PLAN`.
 */
export const CLAIM_DUE_SQL = `SELECT ${TUPLE_COLUMNS}, event FROM entries WHERE account = ? AND due_at <= ?
  ORDER BY due_at, rk LIMIT ?`;

/**
 * Every account with undelivered entries and its earliest due time: the accounts come from their counters row,
 * each due time from one lookup in `entries_account_due_idx`. A test checks its `EXPLAIN QUERY PLAN` at 1,000
 * accounts.
 */
export const ACCOUNTS_DUE_SQL = `SELECT a.account AS account,
    (SELECT e.due_at FROM entries e WHERE e.account = a.account AND e.due_at IS NOT NULL
     ORDER BY e.due_at LIMIT 1) AS due_at
  FROM account_counters a WHERE a.pending + a.leased > 0 ORDER BY due_at, a.account`;

/** "Oldest undelivered" through `entries_backlog_idx`, for stats. */
export const OLDEST_BACKLOG_SQL = `SELECT backlog_at FROM entries WHERE backlog_at IS NOT NULL ORDER BY backlog_at, rk LIMIT 1`;

/** The oldest pending entries, the candidates for `evict-oldest`. */
const OLDEST_PENDING_SQL = `SELECT * FROM entries WHERE backlog_at IS NOT NULL AND status = 'pending' AND rk < ? ORDER BY backlog_at, rk LIMIT ?`;

/**
 * Prepared statements of one connection. Hot paths use plain SQL with positional parameters: drizzle's builder
 * costs per call, and binding 14 named parameters costs about 4 µs more per row than positional ones.
 */
export interface Statements {
  /**
   * Inserts an entry (nothing for an id already stored): its 15 columns, then its running totals (count, bytes),
   * which the caller adds up from {@link Statements.newestTotals} inside the same write transaction.
   */
  readonly insertEntry: Database.Statement;
  /** The newest entry's running totals as an array (count, bytes); none in an empty file. */
  readonly newestTotals: Database.Statement;
  /** Appends one lifecycle record: rk, seq, type, at, data. */
  readonly insertEvent: Database.Statement;
  /** An entry's row by id. */
  readonly selectById: Database.Statement;
  /** An entry's event JSON and account by id. */
  readonly selectEventById: Database.Statement;
  /** Due entries as arrays: {@link TUPLE_COLUMNS} then the event JSON. */
  readonly selectDue: Database.Statement;
  /** The oldest pending entries recorded before a row key: candidates for `evict-oldest`. */
  readonly selectOldestPending: Database.Statement;
  /** Writes one entry's projection: the eleven columns, then rk. */
  readonly updateProjection: Database.Statement;
  /** The totals: the counters row plus the newest entry's running totals. */
  readonly readCounters: Database.Statement;
  /** Adds the six changes to the counters row. */
  readonly addCounters: Database.Statement;
  /** The oldest undelivered entry's record time. */
  readonly oldestBacklog: Database.Statement;
  /** The earliest due time over every account. */
  readonly nextDue: Database.Statement;
  /** One account's earliest due time. */
  readonly nextDueOf: Database.Statement;
  /** One account's oldest undelivered entry's record time. */
  readonly oldestBacklogOf: Database.Statement;
  /** One account's counters row. */
  readonly accountCounters: Database.Statement;
  /** Adds to an account's counters row, creating it: account, then the six changes. */
  readonly addAccountCounters: Database.Statement;
  /** See {@link ACCOUNTS_DUE_SQL}: account, due_at per row. */
  readonly accountsDue: Database.Statement;
  /** `insertEvent` for many events: rk, seq, type, at, data per row. */
  readonly insertEvents: BulkStatement;
  /** {@link TUPLE_COLUMNS} of many entries by id as arrays, in no particular order (settling never reads the event). */
  readonly selectStatesByIds: BulkStatement;
  /**
   * A claim's projection of many entries: rk, status, next_attempt_at, lease_owner, lease_until, updated_at,
   * version, due_at per row. Leaves backlog_at, bytes and recorded_at alone so a claim does not rewrite
   * entries_backlog_idx.
   */
  readonly updateClaimedMany: BulkStatement;
  /** `updateProjection` for many entries: rk then the eleven columns in `updateProjection`'s order, per row. */
  readonly updateProjectionMany: BulkStatement;
  /**
   * `updateProjectionMany` applied only where the row still has the given id and version: rk, id, the version
   * expected, then the eleven columns, per row. Returns the rk of every row it changed (as one-element arrays).
   */
  readonly updateProjectionIfUnchanged: BulkStatement;
  /** Extends a budget's pause: key, paused_until, reason; a shorter pause than the one stored changes nothing. */
  readonly pauseBudget: Database.Statement;
  /** A budget's `paused_until` and `reason`, by key. */
  readonly budgetPause: Database.Statement;
  /** The clock's high-water mark (`counters.clock_high_water`). */
  readonly readHighWater: Database.Statement;
  /** Sets the clock's high-water mark. */
  readonly writeHighWater: Database.Statement;
  /** The row keys of the entries whose wait ends after the given time: what a clock step back moves. */
  readonly waitingAfter: Database.Statement;
  /** {@link TUPLE_COLUMNS} of many entries by row key as arrays. */
  readonly selectStatesByRks: BulkStatement;
  /** Moves every budget pause that ends after the second value back by the first, in ms. */
  readonly shiftBudgets: Database.Statement;
  /** Moves every budget slot stamped after the second value back by the first, in ms. */
  readonly shiftSlots: Database.Statement;
  /** Every lease owner's recorded process: owner, host, boot, pid, started. */
  readonly listOwners: Database.Statement;
  /** Records (or replaces) the process of an owner: owner, host, boot, pid, started. */
  readonly registerOwner: Database.Statement;
  /** Forgets an owner, if it still names the same process: owner, pid, started. */
  readonly forgetOwner: Database.Statement;
  /**
   * {@link TUPLE_COLUMNS} of the entries an owner holds under a lease that has not run out: (now, owner). Walks
   * the due index from `now` on, which holds only pending entries waiting for a retry and running leases.
   */
  readonly runningLeasesOf: Database.Statement;
}

/** `UPDATE entries SET a = v.column2, … FROM (VALUES …) WHERE rk = v.column1`: one rowid lookup per row. */
function updateFromValues(columns: readonly string[]): (rows: number) => string {
  const set = columns.map((column, index) => `${column} = v.column${index + 2}`).join(', ');
  return (rows) =>
    `UPDATE entries SET ${set} FROM (VALUES ${placeholders(rows, columns.length + 1)}) AS v WHERE entries.rk = v.column1`;
}

/**
 * `updateFromValues` guarded by the row's id and version (`v.column2`, `v.column3`), returning the rk of each row
 * it changed: a compare-and-set for many rows in one statement.
 */
function updateFromValuesIfUnchanged(columns: readonly string[]): (rows: number) => string {
  const set = columns.map((column, index) => `${column} = v.column${index + 4}`).join(', ');
  return (rows) =>
    `UPDATE entries SET ${set} FROM (VALUES ${placeholders(rows, columns.length + 3)}) AS v
     WHERE entries.rk = v.column1 AND entries.id = v.column2 AND entries.version = v.column3
     RETURNING entries.rk`;
}

/** The projection columns the settle statements write, in `projectionValues` order. */
const PROJECTION_COLUMNS = [
  'status',
  'attempts',
  'next_attempt_at',
  'lease_owner',
  'lease_until',
  'last_error',
  'updated_at',
  'version',
  'due_at',
  'backlog_at',
  'in_doubt',
] as const;

/**
 * Prepares every hot-path statement once.
 *
 * @param db - a migrated connection
 */
export function prepareStatements(db: Database.Database): Statements {
  return {
    insertEntry: db.prepare(
      `INSERT INTO entries (id, event, bytes, status, attempts, recorded_at, next_attempt_at, lease_owner,
         lease_until, last_error, updated_at, version, due_at, backlog_at, account, total_count, total_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    newestTotals: db.prepare('SELECT total_count, total_bytes FROM entries ORDER BY rk DESC LIMIT 1').raw(),
    insertEvent: db.prepare('INSERT INTO lifecycle (rk, seq, type, at, data) VALUES (?, ?, ?, ?, ?)'),
    selectById: db.prepare('SELECT * FROM entries WHERE id = ?'),
    selectEventById: db.prepare('SELECT event, account FROM entries WHERE id = ?'),
    // Rows as arrays: better-sqlite3 builds a keyed object per row at about 2 µs each, more than the query.
    selectDue: db.prepare(CLAIM_DUE_SQL).raw(),
    selectOldestPending: db.prepare(OLDEST_PENDING_SQL),
    updateProjection: db.prepare(
      `UPDATE entries SET status = ?, attempts = ?, next_attempt_at = ?, lease_owner = ?, lease_until = ?,
         last_error = ?, updated_at = ?, version = ?, due_at = ?, backlog_at = ?, in_doubt = ?
       WHERE rk = ?`,
    ),
    // The counters row plus the newest entry's running totals: the whole of stats() but the oldest age.
    readCounters: db.prepare(
      `SELECT c.pending + coalesce(n.total_count, 0) AS pending, c.leased, c.delivered, c.dead, c.evicted,
         c.backlog_bytes + coalesce(n.total_bytes, 0) AS backlog_bytes
       FROM counters c
       LEFT JOIN (SELECT total_count, total_bytes FROM entries ORDER BY rk DESC LIMIT 1) n ON 1
       WHERE c.k = 1`,
    ),
    addCounters: db.prepare(
      `UPDATE counters SET pending = pending + ?, leased = leased + ?, delivered = delivered + ?, dead = dead + ?,
         evicted = evicted + ?, backlog_bytes = backlog_bytes + ?
       WHERE k = 1`,
    ),
    oldestBacklog: db.prepare(OLDEST_BACKLOG_SQL).pluck(),
    nextDue: db
      .prepare('SELECT due_at FROM entries WHERE due_at IS NOT NULL ORDER BY due_at, rk LIMIT 1')
      .pluck(),
    nextDueOf: db
      .prepare('SELECT due_at FROM entries WHERE account = ? AND due_at IS NOT NULL ORDER BY due_at LIMIT 1')
      .pluck(),
    oldestBacklogOf: db
      .prepare(
        'SELECT backlog_at FROM entries WHERE account = ? AND backlog_at IS NOT NULL ORDER BY backlog_at LIMIT 1',
      )
      .pluck(),
    accountCounters: db.prepare(
      'SELECT pending, leased, delivered, dead, evicted, backlog_bytes FROM account_counters WHERE account = ?',
    ),
    addAccountCounters: db.prepare(
      `INSERT INTO account_counters (account, pending, leased, delivered, dead, evicted, backlog_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET pending = pending + excluded.pending, leased = leased + excluded.leased,
         delivered = delivered + excluded.delivered, dead = dead + excluded.dead,
         evicted = evicted + excluded.evicted, backlog_bytes = backlog_bytes + excluded.backlog_bytes`,
    ),
    accountsDue: db.prepare(ACCOUNTS_DUE_SQL).raw(),
    insertEvents: new BulkStatement(
      db,
      (rows) => `INSERT INTO lifecycle (rk, seq, type, at, data) VALUES ${placeholders(rows, 5)}`,
      5,
    ),
    selectStatesByIds: new BulkStatement(
      db,
      (rows) =>
        `SELECT ${TUPLE_COLUMNS} FROM entries WHERE id IN (${Array.from({ length: rows }, () => '?').join(', ')})`,
      1,
      true,
    ),
    updateClaimedMany: new BulkStatement(
      db,
      updateFromValues([
        'status',
        'next_attempt_at',
        'lease_owner',
        'lease_until',
        'updated_at',
        'version',
        'due_at',
      ]),
      8,
    ),
    updateProjectionMany: new BulkStatement(db, updateFromValues(PROJECTION_COLUMNS), 12),
    updateProjectionIfUnchanged: new BulkStatement(
      db,
      updateFromValuesIfUnchanged(PROJECTION_COLUMNS),
      14,
      true,
    ),
    pauseBudget: db.prepare(
      `INSERT INTO budgets (key, paused_until, reason) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason
       WHERE excluded.paused_until > budgets.paused_until`,
    ),
    budgetPause: db.prepare('SELECT paused_until, reason FROM budgets WHERE key = ?'),
    readHighWater: db.prepare('SELECT clock_high_water FROM counters WHERE k = 1').pluck(),
    writeHighWater: db.prepare('UPDATE counters SET clock_high_water = ? WHERE k = 1'),
    waitingAfter: db.prepare('SELECT rk FROM entries WHERE due_at > ? ORDER BY due_at, rk').pluck(),
    selectStatesByRks: new BulkStatement(
      db,
      (rows) =>
        `SELECT ${TUPLE_COLUMNS} FROM entries WHERE rk IN (${Array.from({ length: rows }, () => '?').join(', ')})`,
      1,
      true,
    ),
    listOwners: db.prepare('SELECT owner, host, boot, pid, started FROM owners'),
    registerOwner: db.prepare(
      `INSERT INTO owners (owner, host, boot, pid, started) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (owner) DO UPDATE SET host = excluded.host, boot = excluded.boot, pid = excluded.pid,
         started = excluded.started`,
    ),
    forgetOwner: db.prepare('DELETE FROM owners WHERE owner = ? AND pid = ? AND started = ?'),
    runningLeasesOf: db
      .prepare(
        `SELECT ${TUPLE_COLUMNS} FROM entries WHERE due_at > ? AND lease_owner = ? AND status = 'leased'`,
      )
      .raw(),
    shiftBudgets: db.prepare('UPDATE budgets SET paused_until = paused_until - ? WHERE paused_until > ?'),
    shiftSlots: db.prepare('UPDATE budget_slots SET at = at - ? WHERE at > ?'),
  };
}
