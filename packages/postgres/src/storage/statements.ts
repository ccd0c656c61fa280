import { createHash } from 'node:crypto';
import { HELD_SLOT_WINDOWS } from '@hubline/core/store';
import type { Statement } from './runner.js';

/*
 * The hot paths' SQL, one text per schema. Written by hand rather than with drizzle's query builder: they run
 * per event or per batch, move whole batches through `unnest` arrays, and use what the builder does not
 * express (`FOR UPDATE SKIP LOCKED` under a `LIMIT` walking an index, data-modifying CTEs, `ON CONFLICT` with a
 * `RETURNING` the next CTE joins). The cold paths (history, dead letters, requeue, prune) use the builder
 * (`cold-queries.ts`).
 */

/** How many shards `counters` has per account: a transaction adds to shard `pg_backend_pid() % SHARDS`. */
const COUNTER_SHARDS = 16;

/**
 * The columns an entry is read with, named as drizzle's `entries` table names them. Every number the store reads
 * is cast to `float8` (or is an `integer`), which every `pg` client parses as a JS number, whatever type parsers
 * the app's own client or drizzle set for `bigint`; epoch ms and row keys stay far below 2^53. The casts shadow
 * the columns' names in `ORDER BY`, so the statements order by the table's columns through the alias `e`.
 */
const ENTRY_COLUMNS = entryColumns('event');

/**
 * {@link ENTRY_COLUMNS} with an empty `event`, for the reads of settle and release: an outcome never changes the
 * event, and the batch writes back only amended ones (`OutcomeBatch`), so the JSON need not cross the wire.
 */
const ENTRY_COLUMNS_WITHOUT_EVENT = entryColumns(`'' AS event`);

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
function addCounters(table: string, first: number): string {
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
function projectionUpdate(entries: string, more: string, moreNames = ''): string {
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

/** Every statement of the store, qualified by its schema. */
export type Statements = ReturnType<typeof createStatements>;

/** The names the statements are written with, for one schema. */
interface Names {
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

/**
 * Builds the store's statements for one schema.
 *
 * @param schema - the PostgreSQL schema holding the tables, already checked to be a plain identifier
 */
export function createStatements(schema: string) {
  const s = `"${schema}"`;
  const names: Names = {
    s,
    entries: `${s}.entries`,
    lifecycle: `${s}.lifecycle`,
    counters: `${s}.counters`,
    clockRow: `SELECT high_water::float8 AS "highWater",
  (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS "serverNow" FROM ${s}.clock WHERE k = 1`,
  };
  return {
    ...recordStatements(names),
    ...deliveryStatements(names),
    ...ownerStatements(names),
    ...clockStatements(names),
    ...budgetStatements(names),
  };
}

/** Recording: the one-statement record, conflicts and the size cap. */
function recordStatements({ entries, lifecycle, counters, clockRow }: Names) {
  return {
    /**
     * Records a batch in one statement: entries, their `Recorded` events and the counters (a row per account),
     * and a notification for the engines, for the ids not recorded yet. Returns, with the clock row, the input ids
     * not inserted (recorded before, or by a concurrent recorder), in input order, each with the event and account
     * stored under it (to compare); a single row with a `NULL` id when every one went in, so that a batch of new
     * events sends back one row, not one per event.
     * `$1` accounts, `$2` ids, `$3` events, `$4` bytes, `$5` lifecycle data, `$6` the time, `$7`…`$12` the
     * `Recorded` projection, `$13` channel, `$14` payload prefix, `$15` the lifecycle type.
     */
    record: statement(`WITH clock AS (${clockRow}), input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
    WITH ORDINALITY AS i(account, id, event, bytes, data, n)
), inserted AS (
  INSERT INTO ${entries} (account, id, event, bytes, status, attempts, recorded_at, next_attempt_at, updated_at,
    version, in_doubt, due_at, backlog_at)
  SELECT account, id, event, bytes, $7, $8, $6, $9, $6, 1, $10, $11, $12 FROM input ORDER BY n
  ON CONFLICT (id) DO NOTHING
  RETURNING rk, account, id, bytes
), logged AS (
  INSERT INTO ${lifecycle} (rk, seq, type, at, data)
  SELECT inserted.rk, 1, $15, $6, input.data FROM inserted JOIN input USING (id)
), counted AS (
  INSERT INTO ${counters} AS c (account, shard, pending, backlog_bytes)
  SELECT account, pg_backend_pid() % ${COUNTER_SHARDS}, count(*), sum(bytes) FROM inserted
  GROUP BY account ORDER BY account
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    backlog_bytes = c.backlog_bytes + excluded.backlog_bytes
), notified AS (
  SELECT pg_notify($13, $14::text || count(*)) FROM inserted HAVING count(*) > 0
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
  INSERT INTO ${entries} (account, id, event, bytes, status, attempts, recorded_at, next_attempt_at, updated_at,
    version, in_doubt, due_at, backlog_at)
  VALUES ($1::text, $2::text, $3::text, $4::int, $7::text, $8::int, $6::bigint, $9::bigint, $6::bigint, 1,
    $10::boolean, $11::bigint, $12::bigint)
  ON CONFLICT (id) DO NOTHING
  RETURNING rk, account, bytes
), logged AS (
  INSERT INTO ${lifecycle} (rk, seq, type, at, data) SELECT rk, 1, $15::text, $6::bigint, $5::text FROM inserted
), counted AS (
  INSERT INTO ${counters} AS c (account, shard, pending, backlog_bytes)
  SELECT account, pg_backend_pid() % ${COUNTER_SHARDS}, 1, bytes FROM inserted
  ON CONFLICT (account, shard) DO UPDATE SET pending = c.pending + excluded.pending,
    backlog_bytes = c.backlog_bytes + excluded.backlog_bytes
), notified AS (
  SELECT pg_notify($13::text, $14::text || '1') FROM inserted
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

/** Claims, settles, reads and counts. */
function deliveryStatements({ s, entries, lifecycle, counters, clockRow }: Names) {
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
    statsAll: statement(`WITH RECURSIVE firsts AS (
  (SELECT account, backlog_at FROM ${entries} WHERE backlog_at IS NOT NULL ORDER BY account, backlog_at LIMIT 1)
  UNION ALL
  SELECT n.account, n.backlog_at FROM firsts AS f, LATERAL (
    SELECT e.account, e.backlog_at FROM ${entries} AS e WHERE e.backlog_at IS NOT NULL AND e.account > f.account
    ORDER BY e.account, e.backlog_at LIMIT 1) AS n
)
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
    accountsDue: statement(`WITH RECURSIVE firsts AS (
  (SELECT account, due_at FROM ${entries} WHERE due_at IS NOT NULL ORDER BY account, due_at LIMIT 1)
  UNION ALL
  SELECT n.account, n.due_at FROM firsts AS f, LATERAL (
    SELECT e.account, e.due_at FROM ${entries} AS e WHERE e.due_at IS NOT NULL AND e.account > f.account
    ORDER BY e.account, e.due_at LIMIT 1) AS n
), gone AS (
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

/** Lease owners and the takeover of the leases of those whose session is gone. */
function ownerStatements({ s, entries }: Names) {
  return {
    /**
     * Lease owners other than `$2` whose session lock is free (their store's session ended), taking each one's
     * lock until commit so that a restarting store waits for the takeover. `$1` the lock namespace.
     */
    goneOwners: statement(`SELECT owner FROM ${s}.owners
WHERE owner <> $2 AND pg_try_advisory_xact_lock(hashtext($1), hashtext(owner))`),
    /** The leases, in every account, held by owners `$1`, locked (skipping any a claim holds). */
    leasesOf: statement(`SELECT ${ENTRY_COLUMNS} FROM ${entries} AS e
WHERE status = 'leased' AND lease_owner = ANY($1::text[]) ORDER BY e.rk FOR UPDATE SKIP LOCKED`),
    /** Forgets owners whose leases were taken over. */
    forgetOwners: statement(`DELETE FROM ${s}.owners WHERE owner = ANY($1::text[])`),
    /** Takes an owner's session lock, if free: `$1` the lock namespace, `$2` the owner. */
    holdOwner: statement('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS held'),
    /** Records an owner whose session lock is held: `$1` owner, `$2` the time. */
    registerOwner: statement(`INSERT INTO ${s}.owners (owner, registered_at) VALUES ($1, $2)
ON CONFLICT (owner) DO UPDATE SET registered_at = excluded.registered_at`),
  };
}

/** The clock row, and the absorption of a step back. */
function clockStatements({ s, entries, clockRow }: Names) {
  return {
    /** `BEGIN`, and the clock row, in one round trip (the simple protocol: no parameters). */
    begin: `BEGIN; ${clockRow}`,
    /** The clock row alone. */
    readClock: statement(clockRow),
    /** The high-water mark, locked until commit: the one absorbing a step back holds it. */
    lockClock: statement(`SELECT high_water::float8 AS "highWater" FROM ${s}.clock WHERE k = 1 FOR UPDATE`),
    /** Raises the high-water mark to `$1`, never lowers it. */
    advanceClock: statement(`UPDATE ${s}.clock SET high_water = $1 WHERE k = 1 AND high_water < $1`),
    /** Sets the high-water mark to `$1` after a step back. */
    setClock: statement(`UPDATE ${s}.clock SET high_water = $1 WHERE k = 1`),
    /** Entries (of every account) that wait past `$1`, after row key `$2`, locked: `$3` at most. */
    waitingAfter: statement(`SELECT ${ENTRY_COLUMNS} FROM ${entries} AS e
WHERE due_at > $1 AND e.rk > $2 ORDER BY e.rk LIMIT $3 FOR UPDATE`),
    /** Moves the budget pauses that end after `$2` back by `$1`. */
    shiftBudgets: statement(
      `UPDATE ${s}.budgets SET paused_until = paused_until - $1 WHERE paused_until > $2`,
    ),
    /** Moves the budget slots stamped after `$2` back by `$1`. */
    shiftSlots: statement(`UPDATE ${s}.budget_slots SET at = at - $1 WHERE at > $2`),
  };
}

/** Budget pauses. */
function budgetStatements({ s, clockRow }: Names) {
  return {
    /** Pauses a budget until `$2`, unless a pause already ends later: `$1` key, `$3` reason. */
    pauseBudget: statement(`INSERT INTO ${s}.budgets AS b (key, paused_until, reason) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason
WHERE b.paused_until < excluded.paused_until`),
    /** A budget's pause, if any, with the clock row. `$1` key. */
    budgetPause:
      statement(`SELECT clock."highWater", clock."serverNow", b.paused_until::float8 AS "pausedUntil", b.reason
FROM (${clockRow}) AS clock LEFT JOIN ${s}.budgets AS b ON b.key = $1`),
    /** Serialises the takers of one budget's slots until commit: `$1` lock namespace, `$2` key. */
    slotLock: statement('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))'),
    /**
     * Takes a slot of budget `$1` at `$2` when fewer than `$3` slots count in its window of `$4` ms, forgetting
     * the slots that stopped counting: a used slot counts for a window from its use, a held one for five windows
     * from its taking (a holder that vanished). Returns the new slot, or when the next slot frees up.
     */
    takeSlot: statement(`WITH live AS (
  SELECT slot, CASE WHEN held THEN at + $4::bigint * ${HELD_SLOT_WINDOWS} ELSE at + $4::bigint END AS free_at
  FROM ${s}.budget_slots WHERE key = $1
), expired AS (
  DELETE FROM ${s}.budget_slots WHERE slot IN (SELECT slot FROM live WHERE free_at <= $2)
), counting AS (
  SELECT free_at FROM live WHERE free_at > $2
), taken AS (
  INSERT INTO ${s}.budget_slots (key, at, held) SELECT $1, $2::bigint, true
  WHERE (SELECT count(*) FROM counting) < $3::bigint
  RETURNING slot
)
SELECT (SELECT slot::text FROM taken) AS slot, (SELECT free_at FROM counting ORDER BY free_at
  OFFSET greatest(0, (SELECT count(*) FROM counting) - $3::bigint) LIMIT 1)::float8 AS "freeAt"`),
    /**
     * The request of slot `$2` of budget `$1` left at `$3`: the slot counts from then. A slot taken back meanwhile,
     * or unknown (`$2` null), counts all the same (its request did leave); a slot used already keeps its time.
     */
    useSlot: statement(`INSERT INTO ${s}.budget_slots AS b (slot, key, at, held)
VALUES (coalesce($2::bigint, nextval('${s}.budget_slots_slot_seq')), $1, $3, false)
ON CONFLICT (slot) DO UPDATE SET at = excluded.at, held = false WHERE b.key = excluded.key AND b.held`),
    /** Gives back held slot `$2` of budget `$1`, unused. */
    giveBackSlot: statement(`DELETE FROM ${s}.budget_slots WHERE key = $1 AND slot = $2 AND held`),
  };
}
/** A statement with its name. */
function statement(text: string): Statement {
  return { name: `hubline_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}
