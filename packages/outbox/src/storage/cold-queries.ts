import type Database from 'better-sqlite3';
import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { accountCounters, counters, entries, lifecycle } from './schema.js';

/** An `entries` row as drizzle reads it (camelCase, typed from `schema.ts`). */
export type EntryRecord = typeof entries.$inferSelect;

/** A lifecycle record as drizzle reads it, without its entry key. */
export interface LogRecord {
  /** Position in the entry's log, from 1. */
  readonly seq: number;
  /** The lifecycle event's type. */
  readonly type: string;
  /** The lifecycle event's time, epoch ms. */
  readonly at: number;
  /** The rest of the event, as `encodeEventData` wrote it. */
  readonly data: string;
}

/** What `prune` looks at in each entry. */
export interface PruneCandidate {
  /** The entry's row key. */
  readonly rk: number;
  /** Its status. */
  readonly status: EntryRecord['status'];
  /** The time of its last lifecycle event, epoch ms. */
  readonly updatedAt: number;
  /** The entry's account, whose counters a deletion changes. */
  readonly account: string;
}

/** Which dead letters a page of `deadAfter` holds: every one, or an account's and/or a category's. */
export interface DeadFilter {
  /** Only this account's dead letters. */
  readonly account?: string | undefined;
  /** Only this category's dead letters. */
  readonly category?: string | undefined;
}

/** The columns of a lifecycle record that `history` and `rebuildProjection` read. */
const LOG_COLUMNS = { seq: lifecycle.seq, type: lifecycle.type, at: lifecycle.at, data: lifecycle.data };

/** The placeholders the prepared queries bind. */
const id = sql.placeholder('id');
const rk = sql.placeholder('rk');
const after = sql.placeholder('after');
const limit = sql.placeholder('limit');
const account = sql.placeholder('account');
const category = sql.placeholder('category');

/** Each account's counts from its entries: what a rebuild ends with (drizzle has no INSERT … SELECT … GROUP BY). */
const RECOUNT_ACCOUNTS_SQL = `INSERT INTO account_counters (account, pending, leased, delivered, dead, evicted, backlog_bytes)
  SELECT account, sum(status = 'pending'), sum(status = 'leased'), sum(status = 'delivered'), sum(status = 'dead'),
    sum(status = 'evicted'), coalesce(sum(CASE WHEN status IN ('pending', 'leased') THEN bytes END), 0)
  FROM entries GROUP BY account`;

/** Every cold query, built by drizzle once and prepared. */
function prepareQueries(orm: BetterSQLite3Database) {
  const countOf = (status: EntryRecord['status']) =>
    sql<number>`(SELECT count(*) FROM ${entries} WHERE ${entries.status} = ${status})`;
  const newest = (column: typeof entries.totalCount | typeof entries.totalBytes) =>
    sql<number>`coalesce((SELECT ${column} FROM ${entries} ORDER BY ${entries.rk} DESC LIMIT 1), 0)`;
  return {
    historyOf: orm
      .select(LOG_COLUMNS)
      .from(lifecycle)
      .innerJoin(entries, eq(entries.rk, lifecycle.rk))
      .where(eq(entries.id, id))
      .orderBy(asc(lifecycle.seq))
      .prepare(),
    logOf: orm
      .select(LOG_COLUMNS)
      .from(lifecycle)
      .where(eq(lifecycle.rk, rk))
      .orderBy(asc(lifecycle.seq))
      .prepare(),
    rkOf: orm.select({ rk: entries.rk }).from(entries).where(eq(entries.id, id)).prepare(),
    entryById: orm.select().from(entries).where(eq(entries.id, id)).prepare(),
    // The status is a literal, not a bound parameter, so that SQLite sees at prepare time that the query
    // matches entries_dead_idx's `WHERE status = 'dead'` and walks that partial index.
    deadAfter: orm
      .select()
      .from(entries)
      .where(and(sql`${entries.status} = 'dead'`, gt(entries.rk, after)))
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
    // A dead letter's `last_error` is `category: message` (core's evolve writes it so): its category is the prefix.
    deadMatchingAfter: orm
      .select()
      .from(entries)
      .where(
        and(
          sql`${entries.status} = 'dead'`,
          gt(entries.rk, after),
          sql`(${account} IS NULL OR ${entries.account} = ${account})`,
          sql`(${category} IS NULL OR substr(${entries.lastError}, 1, length(${category}) + 2) = ${category} || ': ')`,
        ),
      )
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
    replaceEvent: orm
      .update(entries)
      .set({ event: sql`${sql.placeholder('event')}`, bytes: sql`${sql.placeholder('bytes')}` })
      .where(eq(entries.rk, rk))
      .prepare(),
    rksAfter: orm
      .select({ rk: entries.rk })
      .from(entries)
      .where(gt(entries.rk, after))
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
    pruneCandidatesAfter: orm
      .select({
        rk: entries.rk,
        status: entries.status,
        updatedAt: entries.updatedAt,
        account: entries.account,
      })
      .from(entries)
      .where(gt(entries.rk, after))
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
    newestRk: orm
      .select({ rk: max(entries.rk) })
      .from(entries)
      .prepare(),
    deleteLogOf: orm.delete(lifecycle).where(eq(lifecycle.rk, rk)).prepare(),
    deleteEntry: orm.delete(entries).where(eq(entries.rk, rk)).prepare(),
    recountCounters: orm
      .update(counters)
      .set({
        pending: sql`${countOf('pending')} - ${newest(entries.totalCount)}`,
        leased: countOf('leased'),
        delivered: countOf('delivered'),
        dead: countOf('dead'),
        evicted: countOf('evicted'),
        backlogBytes: sql`(SELECT coalesce(sum(${entries.bytes}), 0) FROM ${entries}
          WHERE ${entries.status} IN ('pending', 'leased')) - ${newest(entries.totalBytes)}`,
      })
      .where(eq(counters.k, 1))
      .prepare(),
    clearAccountCounters: orm.delete(accountCounters).prepare(),
    openAccountsOf: orm
      .select({ rk: entries.rk, status: entries.status, account: entries.account })
      .from(entries)
      .where(
        and(
          eq(entries.account, account),
          sql`${entries.status} IN ('pending', 'leased', 'dead')`,
          gt(entries.rk, after),
        ),
      )
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
  };
}

/**
 * The outbox's cold paths — history, dead letters, requeue, prune, rebuild — written with drizzle's typed query
 * builder against `schema.ts`, so that a renamed or retyped column fails to compile here.
 *
 * The hot paths (record, claim, settle, stats, get) stay prepared SQL in `statements.ts`: they run per event,
 * where drizzle's per-call work (mapping each row to an object by column) would show. Each cold query is built
 * and prepared once, on the outbox's first cold call rather than at open, so that opening stays about a
 * millisecond.
 *
 * Every function runs on the caller's connection and inside the caller's transaction, if any.
 */
export class ColdQueries {
  readonly #orm: BetterSQLite3Database;
  readonly #db: Database.Database;
  #prepared: ReturnType<typeof prepareQueries> | undefined;

  /** @param db - a migrated connection */
  constructor(db: Database.Database) {
    this.#orm = drizzle({ client: db });
    this.#db = db;
  }

  /**
   * An entry's lifecycle records, oldest first; empty for an unknown id.
   *
   * @param entryId - the entry's id
   */
  historyOf(entryId: string): LogRecord[] {
    return this.#queries().historyOf.all({ id: entryId });
  }

  /**
   * One entry's lifecycle records, oldest first.
   *
   * @param entryRk - the entry's row key
   */
  logOf(entryRk: number): LogRecord[] {
    return this.#queries().logOf.all({ rk: entryRk });
  }

  /**
   * The row key of an entry, or `undefined` for an unknown id.
   *
   * @param entryId - the entry's id
   */
  rkOf(entryId: string): number | undefined {
    return this.#queries().rkOf.get({ id: entryId })?.rk;
  }

  /**
   * One entry, or `undefined` for an unknown id.
   *
   * @param entryId - the entry's id
   */
  entryById(entryId: string): EntryRecord | undefined {
    return this.#queries().entryById.get({ id: entryId });
  }

  /**
   * Dead letters recorded after `afterRk`, oldest first, through `entries_dead_idx`.
   *
   * @param afterRk - start after this row key (0 for the first page)
   * @param count - how many at most
   */
  deadAfter(afterRk: number, count: number): EntryRecord[] {
    return this.#queries().deadAfter.all({ after: afterRk, limit: count });
  }

  /**
   * Dead letters recorded after `afterRk` of an account and/or a category, oldest first.
   *
   * @param afterRk - start after this row key (0 for the first page)
   * @param count - how many at most
   * @param filter - the account and category, each optional
   */
  deadMatchingAfter(afterRk: number, count: number, filter: DeadFilter): EntryRecord[] {
    if (filter.account === undefined && filter.category === undefined) return this.deadAfter(afterRk, count);
    return this.#queries().deadMatchingAfter.all({
      after: afterRk,
      limit: count,
      account: filter.account ?? null,
      category: filter.category ?? null,
    });
  }

  /**
   * Replaces an entry's event (an amended dead letter) and its size.
   *
   * @param entryRk - the entry's row key
   * @param json - the amended event's JSON
   * @param size - its UTF-8 size
   */
  replaceEvent(entryRk: number, json: string, size: number): void {
    this.#queries().replaceEvent.run({ rk: entryRk, event: json, bytes: size });
  }

  /**
   * An account's entries that `discard` may evict (pending, leased, dead) after `afterRk`, in row key order.
   *
   * @param entryAccount - the account
   * @param afterRk - start after this row key (0 for the first page)
   * @param count - how many at most
   */
  discardCandidatesAfter(entryAccount: string, afterRk: number, count: number): number[] {
    return this.#queries()
      .openAccountsOf.all({ account: entryAccount, after: afterRk, limit: count })
      .map((row) => row.rk);
  }

  /**
   * The row keys after `afterRk`, in order.
   *
   * @param afterRk - start after this row key (0 for the first page)
   * @param count - how many at most
   */
  rksAfter(afterRk: number, count: number): number[] {
    return this.#queries()
      .rksAfter.all({ after: afterRk, limit: count })
      .map((row) => row.rk);
  }

  /**
   * What `prune` needs of the entries after `afterRk`, in row key order.
   *
   * @param afterRk - start after this row key (0 for the first page)
   * @param count - how many at most
   */
  pruneCandidatesAfter(afterRk: number, count: number): PruneCandidate[] {
    return this.#queries().pruneCandidatesAfter.all({ after: afterRk, limit: count });
  }

  /** The newest entry's row key (it carries the running totals), `null` when there is none. */
  newestRk(): number | null {
    return this.#queries().newestRk.get()?.rk ?? null;
  }

  /**
   * Deletes an entry and its lifecycle records.
   *
   * @param entryRk - the entry's row key
   */
  deleteEntry(entryRk: number): void {
    const queries = this.#queries();
    queries.deleteLogOf.run({ rk: entryRk });
    queries.deleteEntry.run({ rk: entryRk });
  }

  /**
   * Recounts the `counters` row from the entries, as offsets from the newest entry's running totals (see the
   * schema): what `rebuildProjection` ends with.
   */
  recountCounters(): void {
    const queries = this.#queries();
    queries.recountCounters.run();
    queries.clearAccountCounters.run();
    this.#db.exec(RECOUNT_ACCOUNTS_SQL);
  }

  #queries(): ReturnType<typeof prepareQueries> {
    this.#prepared ??= prepareQueries(this.#orm);
    return this.#prepared;
  }
}
