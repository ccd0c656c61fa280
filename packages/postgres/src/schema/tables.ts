import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/*
 * The store's tables, defined once and built for a schema chosen at run time: drizzle-kit generates the
 * committed migrations from the unqualified tables (`schema.ts`), the migrator applies them with that schema
 * first on the search path, and the store queries the tables qualified by its schema, so that an app's own
 * connection, whatever its search path, writes where the engines read.
 */

/** The status values an entry's projection takes (core's `EntryStatus`). */
const STATUSES = sql`'pending', 'leased', 'delivered', 'dead', 'evicted'`;

/** A `bigint` column read as a JS number: epoch ms, byte totals and row keys stay far below 2^53. */
function int8(name: string) {
  return bigint(name, { mode: 'number' });
}

/** The table factory of a schema: drizzle's `pgTable` for the default search path, else the schema's own. */
function tableFactory(schema: string | undefined): typeof pgTable {
  if (schema === undefined) return pgTable;
  const named = pgSchema(schema);
  return ((name: string, columns: never, extra?: never) => named.table(name, columns, extra)) as never;
}

/**
 * The store's tables, qualified by `schema` (unqualified when it is `undefined`).
 *
 * - `entries`: the event JSON and its delivery projection (the fold of its lifecycle log). `rk` is the record
 *   order; `id` is unique over every account. `account` (the HubSpot account, `'default'` unless the app names
 *   one) leads the queue's indexes, so that each account's claims, due times and backlog are a range of its own.
 *   Two derived columns exist only to be indexed: `due_at` (the next attempt while pending, the lease's end while
 *   leased, `NULL` once finished) for claims, and `backlog_at` (`recorded_at` while pending or leased) for the
 *   oldest backlog age and eviction. `category` is a dead letter's, for listing and requeueing by category.
 * - `lifecycle`: every fact of every entry's delivery, in order; `data` is the event without `type` and `at`.
 * - `counters`: the running counts behind `stats()`, split in shards so that concurrent transactions do not
 *   queue on one row (each adds its changes to the shard of its backend: `pg_backend_pid() % 16`).
 * - `budgets`: a pacing pause per budget key, shared by every engine.
 * - `budget_slots`: the sliding-window slots of each budget key (the account), shared by every engine.
 * - `owners`: the lease owners that claimed, each held alive by a session advisory lock of its store.
 * - `clock`: one row, the high-water mark of the store clock's readings (steps back are absorbed once).
 *
 * @param schema - the PostgreSQL schema, or `undefined` for unqualified names
 */
export function defineTables(schema?: string) {
  const table = tableFactory(schema);
  const entries = table(
    'entries',
    {
      rk: int8('rk').primaryKey().generatedAlwaysAsIdentity(),
      account: text('account').notNull().default('default'),
      id: text('id').notNull(),
      event: text('event').notNull(),
      bytes: integer('bytes').notNull(),
      status: text('status', { enum: ['pending', 'leased', 'delivered', 'dead', 'evicted'] }).notNull(),
      attempts: integer('attempts').notNull(),
      recordedAt: int8('recorded_at').notNull(),
      nextAttemptAt: int8('next_attempt_at').notNull(),
      leaseOwner: text('lease_owner'),
      leaseUntil: int8('lease_until'),
      lastError: text('last_error'),
      updatedAt: int8('updated_at').notNull(),
      /** Number of lifecycle events; the `seq` of the next one is `version + 1`. */
      version: integer('version').notNull(),
      inDoubt: boolean('in_doubt').notNull().default(false),
      dueAt: int8('due_at'),
      backlogAt: int8('backlog_at'),
      /** The dead letter's category (HubSpot's, or Hubline's `MAX_ATTEMPTS`) while the entry is dead, else `NULL`. */
      category: text('category'),
      /**
       * The `Recorded` event's bytes: an entry recorded since migration 0003 keeps its `Recorded` event in its
       * own row (`recorded_at`, this) instead of a `lifecycle` row, which history reads back as `seq` 1. `NULL`
       * for an entry recorded before, whose `Recorded` event is in `lifecycle`.
       */
      recordedBytes: integer('recorded_bytes'),
    },
    (t) => [
      uniqueIndex('entries_id_idx').on(t.id),
      index('entries_claim_idx').on(t.account, t.dueAt, t.rk).where(sql`${t.dueAt} IS NOT NULL`),
      index('entries_backlog_idx').on(t.account, t.backlogAt, t.rk).where(sql`${t.backlogAt} IS NOT NULL`),
      index('entries_dead_idx').on(t.account, t.rk).where(sql`${t.status} = 'dead'`),
      index('entries_finished_idx')
        .on(t.account, t.updatedAt, t.rk)
        .where(sql`${t.status} IN ('delivered', 'evicted')`),
      index('entries_leased_idx').on(t.leaseOwner, t.account).where(sql`${t.status} = 'leased'`),
      check('entries_status_check', sql`${t.status} IN (${STATUSES})`),
    ],
  );
  const lifecycle = table(
    'lifecycle',
    {
      rk: int8('rk').notNull(),
      seq: integer('seq').notNull(),
      type: text('type').notNull(),
      at: int8('at').notNull(),
      data: text('data').notNull(),
    },
    (t) => [primaryKey({ columns: [t.rk, t.seq] })],
  );
  const counters = table(
    'counters',
    {
      account: text('account').notNull(),
      shard: integer('shard').notNull(),
      pending: int8('pending').notNull().default(0),
      leased: int8('leased').notNull().default(0),
      delivered: int8('delivered').notNull().default(0),
      dead: int8('dead').notNull().default(0),
      evicted: int8('evicted').notNull().default(0),
      /** Bytes of pending and leased entries. */
      backlogBytes: int8('backlog_bytes').notNull().default(0),
    },
    (t) => [primaryKey({ columns: [t.account, t.shard] })],
  );
  const budgets = table('budgets', {
    key: text('key').primaryKey(),
    pausedUntil: int8('paused_until').notNull(),
    reason: text('reason').notNull(),
  });
  const budgetSlots = table(
    'budget_slots',
    {
      slot: int8('slot').primaryKey().generatedByDefaultAsIdentity(),
      key: text('key').notNull(),
      /** When the slot was taken (while `held`) or its request left (after `use`), epoch ms. */
      at: int8('at').notNull(),
      /** Taken and not used yet: it counts until used, given back, or taken back after five windows. */
      held: boolean('held').notNull(),
    },
    (t) => [index('budget_slots_key_idx').on(t.key, t.at)],
  );
  const owners = table('owners', {
    owner: text('owner').primaryKey(),
    registeredAt: int8('registered_at').notNull(),
  });
  const clock = table(
    'clock',
    {
      k: integer('k').primaryKey(),
      highWater: int8('high_water').notNull().default(0),
    },
    (t) => [check('clock_one_row', sql`${t.k} = 1`)],
  );
  return { entries, lifecycle, counters, budgets, budgetSlots, owners, clock };
}

/** The store's tables, as {@link defineTables} builds them. */
export type Tables = ReturnType<typeof defineTables>;
