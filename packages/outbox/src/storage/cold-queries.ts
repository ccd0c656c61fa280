import type Database from 'better-sqlite3';
import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { counters, entries, lifecycle } from './schema.js';

/** An `entries` row as drizzle reads it (camelCase, typed from `schema.ts`). */
export type EntryRecord = typeof entries.$inferSelect;

/** A lifecycle record as drizzle reads it, without its entry key. */
export interface LogRecord {
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  readonly data: string;
}

/** What `prune` looks at in each entry. */
export interface PruneCandidate {
  readonly rk: number;
  readonly status: EntryRecord['status'];
  readonly updatedAt: number;
}

/** The columns of a lifecycle record that `history` and `rebuildProjection` read. */
const LOG_COLUMNS = { seq: lifecycle.seq, type: lifecycle.type, at: lifecycle.at, data: lifecycle.data };

/** The placeholders the prepared queries bind. */
const id = sql.placeholder('id');
const rk = sql.placeholder('rk');
const after = sql.placeholder('after');
const limit = sql.placeholder('limit');

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
    rksAfter: orm
      .select({ rk: entries.rk })
      .from(entries)
      .where(gt(entries.rk, after))
      .orderBy(asc(entries.rk))
      .limit(limit)
      .prepare(),
    pruneCandidatesAfter: orm
      .select({ rk: entries.rk, status: entries.status, updatedAt: entries.updatedAt })
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
  #prepared: ReturnType<typeof prepareQueries> | undefined;

  /** @param db - a migrated connection */
  constructor(db: Database.Database) {
    this.#orm = drizzle({ client: db });
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
    this.#queries().recountCounters.run();
  }

  #queries(): ReturnType<typeof prepareQueries> {
    this.#prepared ??= prepareQueries(this.#orm);
    return this.#prepared;
  }
}
