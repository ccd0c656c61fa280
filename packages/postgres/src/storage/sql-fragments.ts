import { createHash } from 'node:crypto';
import type { Statement } from './runner.js';

/*
 * The pieces the store's statements are written from: the entry columns, the counter and projection writes, the
 * schema's names, and a statement's prepared name.
 */

/** How many shards `counters` has per account: a transaction adds to shard `pg_backend_pid() % SHARDS`. */
export const COUNTER_SHARDS = 16;

/**
 * The columns an entry is read with, named as drizzle's `entries` table names them. Every number the store reads
 * is cast to `float8` (or is an `integer`), which every `pg` client parses as a JS number, whatever type parsers
 * the app's own client or drizzle set for `bigint`; epoch ms and row keys stay far below 2^53. The casts shadow
 * the columns' names in `ORDER BY`, so the statements order by the table's columns through the alias `e`.
 */
export const ENTRY_COLUMNS = entryColumns('event');

/**
 * {@link ENTRY_COLUMNS} with an empty `event`, for the reads of settle and release: an outcome never changes the
 * event, and the batch writes back only amended ones (`OutcomeBatch`), so the JSON need not cross the wire.
 */
export const ENTRY_COLUMNS_WITHOUT_EVENT = entryColumns(`'' AS event`);

/** The entry columns, with `event` read as given. */
function entryColumns(event: string): string {
  return `rk::float8 AS rk, account, id, ${event}, bytes, status, attempts, recorded_at::float8 AS "recordedAt",
  next_attempt_at::float8 AS "nextAttemptAt", lease_owner AS "leaseOwner", lease_until::float8 AS "leaseUntil",
  last_error AS "lastError", updated_at::float8 AS "updatedAt", version, in_doubt AS "inDoubt", category`;
}

/**
 * Adds one transaction's counter changes to its backend's shard, a row per account: `$n` the accounts (sorted, so
 * that two transactions touching the same accounts lock their rows in one order), `$n+1`… the six deltas, each an
 * array in the accounts' order.
 */
export function addCounters(table: string, first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `INSERT INTO ${table} AS c (account, shard, pending, leased, delivered, dead, evicted, backlog_bytes)
  SELECT d.account, pg_backend_pid() % ${COUNTER_SHARDS}, d.pending, d.leased, d.delivered, d.dead, d.evicted, d.bytes
  FROM unnest(${p(0)}::text[], ${p(1)}::bigint[], ${p(2)}::bigint[], ${p(3)}::bigint[], ${p(4)}::bigint[],
    ${p(5)}::bigint[], ${p(6)}::bigint[]) AS d(account, pending, leased, delivered, dead, evicted, bytes)
  WHERE d.pending <> 0 OR d.leased <> 0 OR d.delivered <> 0 OR d.dead <> 0 OR d.evicted <> 0 OR d.bytes <> 0
  ORDER BY d.account
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    leased = c.leased + excluded.leased, delivered = c.delivered + excluded.delivered, dead = c.dead + excluded.dead,
    evicted = c.evicted + excluded.evicted, backlog_bytes = c.backlog_bytes + excluded.backlog_bytes`;
}

/**
 * The `UPDATE` that writes a batch's projections from `$6`…`$20` (rk, status, attempts, next attempt, lease
 * owner, lease end, last error, updated at, version, in doubt, due at, backlog at, category, event or `NULL` to
 * keep it, bytes), joined on the row key; `more` and `moreNames` add columns to the batch.
 */
export function projectionUpdate(entries: string, more: string, moreNames = ''): string {
  return `UPDATE ${entries} AS e SET status = p.status, attempts = p.attempts, next_attempt_at = p.next_attempt_at,
    lease_owner = p.lease_owner, lease_until = p.lease_until, last_error = p.last_error, updated_at = p.updated_at,
    version = p.version, in_doubt = p.in_doubt, due_at = p.due_at, backlog_at = p.backlog_at,
    category = p.category, event = coalesce(p.event, e.event), bytes = p.bytes
  FROM unnest($6::bigint[], $7::text[], $8::int[], $9::bigint[], $10::text[], $11::bigint[], $12::text[],
    $13::bigint[], $14::int[], $15::boolean[], $16::bigint[], $17::bigint[], $18::text[], $19::text[], $20::int[]${more})
    AS p(rk, status, attempts, next_attempt_at, lease_owner, lease_until, last_error, updated_at, version,
      in_doubt, due_at, backlog_at, category, event, bytes${moreNames})
  WHERE e.rk = p.rk`;
}

/**
 * `WITH RECURSIVE firsts AS (…)`: each account's first entry by `column` among those where it is set, one index
 * seek per account (a loose index scan), as rows `(account, column)`.
 *
 * @param entries - the `entries` table, qualified
 * @param column - `due_at` or `backlog_at`
 */
export function firstPerAccount(entries: string, column: 'due_at' | 'backlog_at'): string {
  return `WITH RECURSIVE firsts AS (
  (SELECT account, ${column} FROM ${entries} WHERE ${column} IS NOT NULL ORDER BY account, ${column} LIMIT 1)
  UNION ALL
  SELECT n.account, n.${column} FROM firsts AS f, LATERAL (
    SELECT e.account, e.${column} FROM ${entries} AS e WHERE e.${column} IS NOT NULL AND e.account > f.account
    ORDER BY e.account, e.${column} LIMIT 1) AS n
)`;
}

/** The names the statements are written with, for one schema. */
export interface Names {
  /** The quoted schema. */
  readonly s: string;
  /** `entries`, qualified. */
  readonly entries: string;
  /** `lifecycle`, qualified. */
  readonly lifecycle: string;
  /** `counters`, qualified. */
  readonly counters: string;
  /**
   * The clock row: the stored high-water mark, and the server's clock in epoch ms. Every statement that stamps or
   * compares a time reads it along, so that a store learns of a step back without a query of its own.
   */
  readonly clockRow: string;
}

/** A statement with its name. */
export function statement(text: string): Statement {
  return { name: `hubline_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}
