import { COUNTER_SHARDS, ENTRY_COLUMNS, type Names, statement } from './sql-fragments.js';

/* The statements that record events: the one-statement record of a batch or of one event, and the size cap. */

/**
 * Recording: the one-statement record, conflicts and the size cap.
 *
 * @param names - the schema's names
 */
export function recordStatements({ entries, counters, clockRow }: Names) {
  return {
    /**
     * Records a batch in one statement: entries, each with its `Recorded` event in its own row (`recorded_at`,
     * `recorded_bytes`: no `lifecycle` row), the counters (a row per account) and a notification for the engines,
     * for the ids not recorded yet. Returns, with the clock row, the input ids
     * not inserted (recorded before, or by a concurrent recorder), in input order, each with the event and account
     * stored under it (to compare); a single row with a `NULL` id when every one went in, so that a batch of new
     * events sends back one row, not one per event.
     * `$1` accounts, `$2` ids, `$3` events, `$4` bytes, `$5` the time, `$6`…`$11` the `Recorded` projection,
     * `$12` channel (`NULL`: no notification), `$13` payload prefix.
     */
    record: statement(`WITH clock AS (${clockRow}), input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS i(account, id, event, bytes, n)
), inserted AS (
  INSERT INTO ${entries} (account, id, event, bytes, recorded_bytes, status, attempts, recorded_at, next_attempt_at,
    updated_at, version, in_doubt, due_at, backlog_at)
  SELECT account, id, event, bytes, bytes, $6, $7, $5, $8, $5, 1, $9, $10, $11 FROM input ORDER BY n
  ON CONFLICT (id) DO NOTHING
  RETURNING rk, account, id, bytes
), counted AS (
  INSERT INTO ${counters} AS c (account, shard, pending, backlog_bytes)
  SELECT account, pg_backend_pid() % ${COUNTER_SHARDS}, count(*), sum(bytes) FROM inserted
  GROUP BY account ORDER BY account
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    backlog_bytes = c.backlog_bytes + excluded.backlog_bytes
), notified AS (
  SELECT pg_notify($12, $13::text || count(*)) FROM inserted HAVING count(*) > 0 AND $12::text IS NOT NULL
), missed AS (
  SELECT input.id, input.n FROM input WHERE NOT EXISTS (SELECT 1 FROM inserted WHERE inserted.id = input.id)
)
SELECT m.id, (SELECT s.event FROM ${entries} AS s WHERE s.id = m.id) AS stored,
  (SELECT s.account FROM ${entries} AS s WHERE s.id = m.id) AS "storedAccount",
  (SELECT count(*) FROM notified)::int AS notified, clock."highWater", clock."serverNow"
FROM clock LEFT JOIN missed AS m ON true
ORDER BY m.n`),
    /**
     * Records one event in one statement, as `record` does a batch, with scalar parameters: no arrays to build,
     * send and unnest, and a plan PostgreSQL keeps (its estimates do not depend on the values, so the prepared
     * statement's generic plan wins over planning each call, which `record`'s array lengths make it do). The
     * same parameters as `record`, each one value instead of an array, and the same answer: one row, its id `NULL`
     * when the event went in.
     */
    recordOne: statement(`WITH clock AS (${clockRow}), inserted AS (
  INSERT INTO ${entries} (account, id, event, bytes, recorded_bytes, status, attempts, recorded_at, next_attempt_at,
    updated_at, version, in_doubt, due_at, backlog_at)
  VALUES ($1::text, $2::text, $3::text, $4::int, $4::int, $6::text, $7::int, $5::bigint, $8::bigint, $5::bigint, 1,
    $9::boolean, $10::bigint, $11::bigint)
  ON CONFLICT (id) DO NOTHING
  RETURNING rk, account, bytes
), counted AS (
  INSERT INTO ${counters} AS c (account, shard, pending, backlog_bytes)
  SELECT account, pg_backend_pid() % ${COUNTER_SHARDS}, 1, bytes FROM inserted
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    backlog_bytes = c.backlog_bytes + excluded.backlog_bytes
), notified AS (
  SELECT pg_notify($12::text, $13::text || '1') FROM inserted WHERE $12::text IS NOT NULL
)
SELECT CASE WHEN inserted.rk IS NULL THEN $2::text END AS id,
  CASE WHEN inserted.rk IS NULL THEN (SELECT s.event FROM ${entries} AS s WHERE s.id = $2::text) END AS stored,
  CASE WHEN inserted.rk IS NULL THEN (SELECT s.account FROM ${entries} AS s WHERE s.id = $2::text) END
    AS "storedAccount",
  (SELECT count(*) FROM notified)::int AS notified, clock."highWater", clock."serverNow"
FROM clock LEFT JOIN inserted ON true`),
    /** The stored events and accounts of ids, for the rare conflict a concurrent recorder committed during `record`. */
    storedEvents: statement(`SELECT id, account, event FROM ${entries} WHERE id = ANY($1::text[])`),
    /** The smallest row key inserted by this transaction's record, for eviction: `$1` ids. */
    firstRkOf: statement(`SELECT min(rk)::float8 AS rk FROM ${entries} WHERE id = ANY($1::text[])`),
    /**
     * The oldest pending entries of account `$1` recorded before `$2` (a row key), skipping any a claim holds:
     * eviction candidates. `$3` limit.
     */
    evictionCandidates: statement(`SELECT ${ENTRY_COLUMNS} FROM ${entries} AS e
WHERE account = $1 AND backlog_at IS NOT NULL AND status = 'pending' AND e.rk < $2
ORDER BY e.backlog_at, e.rk LIMIT $3 FOR UPDATE SKIP LOCKED`),
    /** Serialises the recorders of a capped store (`$1` lock namespace) until commit. */
    capacityLock: statement('SELECT pg_advisory_xact_lock(hashtext($1), 0)'),
    /** The total of pending and leased entries, and their bytes, over every account, for the size cap. */
    backlog: statement(`SELECT coalesce(sum(pending + leased), 0)::float8 AS entries,
  coalesce(sum(backlog_bytes), 0)::float8 AS bytes FROM ${counters}`),
  };
}
