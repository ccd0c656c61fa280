import {
  addCounters,
  COUNTER_SHARDS,
  ENTRY_COLUMNS,
  ENTRY_COLUMNS_WITHOUT_EVENT,
  firstPerAccount,
  type Names,
  projectionUpdate,
  statement,
} from './sql-fragments.js';

/* The statements of delivery: claims, settles, reads, counts and the wake-up. */

/**
 * Claims, settles, reads and counts.
 *
 * @param names - the schema's names
 */
export function deliveryStatements({ s, entries, lifecycle, counters, clockRow }: Names) {
  return {
    /**
     * The due entries of account `$1`, oldest due first, locked; entries another claim holds are skipped, never
     * waited for. Walks `entries_claim_idx` and stops after `$3` rows. `$2` now.
     */
    selectDue: statement(`SELECT ${ENTRY_COLUMNS} FROM ${entries} AS e
WHERE account = $1 AND due_at <= $2 ORDER BY e.due_at, e.rk LIMIT $3 FOR UPDATE SKIP LOCKED`),
    /**
     * Entries by id, locked in row-key order (so that two settles never deadlock), their events left out (see
     * {@link ENTRY_COLUMNS_WITHOUT_EVENT}). `$1` ids.
     */
    lockByIds: statement(`SELECT ${ENTRY_COLUMNS_WITHOUT_EVENT} FROM ${entries} AS e
WHERE id = ANY($1::text[]) ORDER BY e.rk FOR UPDATE`),
    /** One entry. `$1` id. */
    selectById: statement(`SELECT ${ENTRY_COLUMNS} FROM ${entries} WHERE id = $1`),
    /**
     * Appends lifecycle events and writes projections for a batch, and adds the counter changes, in one
     * statement. `$1`…`$5` the log rows (rk, seq, type, at, data), `$6`…`$20` the projections (rk, status,
     * attempts, next attempt, lease owner, lease end, last error, updated at, version, in doubt, due at, backlog
     * at, category, event or `NULL` to keep it, bytes), `$21`…`$27` the counter changes (see `addCounters`).
     */
    writeOutcomes: statement(`WITH logged AS (
  INSERT INTO ${lifecycle} (rk, seq, type, at, data)
  SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::text[])
), projected AS (
  ${projectionUpdate(entries, '')}
)
${addCounters(counters, 21)}`),
    /**
     * `writeOutcomes` for entries a store leased and remembers, in one statement of its own (no transaction, no
     * read first): each projection is written only if the entry is still at the version `$21` the store knows
     * (then nobody changed it since, and its lease is as the store decided from), and its log rows and counter
     * changes only with it. `$1`…`$20` as in `writeOutcomes`; `$21` the versions expected; `$22` accounts and
     * `$23`…`$28` counter changes, one per entry in the projections' order; `$29` the highest clock mark the
     * write's times are not a step back from (nothing is written past it: the step is absorbed first, on the
     * path that reads). Returns the row keys written, with the clock row.
     */
    writeLeased: statement(`WITH clock AS (${clockRow}), projected AS (
  ${projectionUpdate(entries, ', $21::int[]', ', expected')} AND e.version = p.expected
    AND (SELECT "highWater" FROM clock) <= $29
  RETURNING e.rk
), logged AS (
  INSERT INTO ${lifecycle} (rk, seq, type, at, data)
  SELECT l.rk, l.seq, l.type, l.at, l.data
  FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::text[]) AS l(rk, seq, type, at, data)
  WHERE l.rk IN (SELECT rk FROM projected)
), counted AS (
  INSERT INTO ${counters} AS c (account, shard, pending, leased, delivered, dead, evicted, backlog_bytes)
  SELECT d.account, pg_backend_pid() % ${COUNTER_SHARDS}, sum(d.pending), sum(d.leased), sum(d.delivered),
    sum(d.dead), sum(d.evicted), sum(d.bytes)
  FROM unnest($6::bigint[], $22::text[], $23::bigint[], $24::bigint[], $25::bigint[], $26::bigint[],
    $27::bigint[], $28::bigint[]) AS d(rk, account, pending, leased, delivered, dead, evicted, bytes)
  WHERE d.rk IN (SELECT rk FROM projected)
  GROUP BY d.account ORDER BY d.account
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    leased = c.leased + excluded.leased, delivered = c.delivered + excluded.delivered, dead = c.dead + excluded.dead,
    evicted = c.evicted + excluded.evicted, backlog_bytes = c.backlog_bytes + excluded.backlog_bytes
)
SELECT clock."highWater", clock."serverNow", ARRAY(SELECT rk::float8 FROM projected) AS written FROM clock`),
    /** Wakes the engines listening on the channel `$1` with the payload `$2` (sent when the transaction commits). */
    notify: statement('SELECT pg_notify($1, $2)'),
    /** Adds counter changes on their own (prune): `$1`…`$7` as in `addCounters`. */
    addCounters: statement(addCounters(counters, 1)),
    /** Counts of account `$1` for `stats()`: the shards' sums and the oldest backlog entry. */
    stats:
      statement(`SELECT coalesce(sum(pending), 0)::float8 AS pending, coalesce(sum(leased), 0)::float8 AS leased,
  coalesce(sum(delivered), 0)::float8 AS delivered, coalesce(sum(dead), 0)::float8 AS dead,
  coalesce(sum(evicted), 0)::float8 AS evicted, coalesce(sum(backlog_bytes), 0)::float8 AS "backlogBytes",
  (SELECT min(backlog_at) FROM ${entries} WHERE account = $1 AND backlog_at IS NOT NULL)::float8 AS oldest
FROM ${counters} WHERE account = $1`),
    /**
     * The totals of every account for `stats()`: the shards' sums, and the oldest backlog entry found by one probe
     * of `entries_backlog_idx` per account with a backlog (a loose index scan: each step seeks the next account).
     */
    statsAll: statement(`${firstPerAccount(entries, 'backlog_at')}
SELECT coalesce(sum(pending), 0)::float8 AS pending, coalesce(sum(leased), 0)::float8 AS leased,
  coalesce(sum(delivered), 0)::float8 AS delivered, coalesce(sum(dead), 0)::float8 AS dead,
  coalesce(sum(evicted), 0)::float8 AS evicted, coalesce(sum(backlog_bytes), 0)::float8 AS "backlogBytes",
  (SELECT min(backlog_at) FROM firsts)::float8 AS oldest
FROM ${counters}`),
    /**
     * When account `$1`'s next entry is due, and, when that is later than `$2` (now), whether an owner whose
     * session is gone holds a lease of the account (then something is due at once), with the clock row. `$3` the
     * owners' lock namespace.
     */
    nextDue:
      statement(`SELECT clock."highWater", clock."serverNow", m.due_at::float8 AS "dueAt", CASE WHEN m.due_at > $2 THEN EXISTS (
  SELECT 1 FROM ${s}.owners AS o
  WHERE CASE WHEN EXISTS (SELECT 1 FROM ${entries} AS e WHERE e.status = 'leased' AND e.lease_owner = o.owner
    AND e.account = $1) THEN pg_try_advisory_xact_lock(hashtext($3), hashtext(o.owner)) ELSE false END
) ELSE false END AS "goneOwner"
FROM (SELECT min(due_at) AS due_at FROM ${entries} WHERE account = $1 AND due_at IS NOT NULL) AS m,
  (${clockRow}) AS clock`),
    /**
     * Every account with pending or leased entries, with its next due time and whether an owner whose session is
     * gone holds one of its leases, and the clock row (alone, with `NULL`s, when no account waits). A loose index
     * scan of `entries_claim_idx`: one seek per account, whatever the number of entries. `$1` the owners' lock
     * namespace.
     */
    accountsDue: statement(`${firstPerAccount(entries, 'due_at')}, gone AS (
  SELECT o.owner FROM ${s}.owners AS o
  WHERE CASE WHEN EXISTS (SELECT 1 FROM ${entries} AS e WHERE e.status = 'leased' AND e.lease_owner = o.owner)
    THEN pg_try_advisory_xact_lock(hashtext($1), hashtext(o.owner)) ELSE false END
), orphaned AS (
  SELECT DISTINCT e.account FROM ${entries} AS e JOIN gone ON e.lease_owner = gone.owner WHERE e.status = 'leased'
)
SELECT clock."highWater", clock."serverNow", f.account, f.due_at::float8 AS "dueAt",
  coalesce(f.account IN (SELECT account FROM orphaned), false) AS "goneOwner"
FROM (${clockRow}) AS clock LEFT JOIN firsts AS f ON true`),
  };
}
