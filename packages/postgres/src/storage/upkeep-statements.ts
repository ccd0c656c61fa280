import { HELD_SLOT_WINDOWS } from '@hubline/core/store';
import { ENTRY_COLUMNS, type Names, statement } from './sql-fragments.js';

/* The statements that keep the store in order: lease owners, the clock row and budget pauses and slots. */

/**
 * Lease owners and the takeover of the leases of those whose session is gone.
 *
 * @param names - the schema's names
 */
export function ownerStatements({ s, entries }: Names) {
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

/**
 * The clock row, and the absorption of a step back.
 *
 * @param names - the schema's names
 */
export function clockStatements({ s, entries, clockRow }: Names) {
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

/**
 * Budget pauses.
 *
 * @param names - the schema's names
 */
export function budgetStatements({ s, clockRow }: Names) {
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
