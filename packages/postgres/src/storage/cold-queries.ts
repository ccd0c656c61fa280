import { and, asc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Tables } from '../schema/tables.js';
import type { EntryRecord } from './projection.js';

/** Which dead letters a page or a requeue is about: any combination; none for every dead letter. */
export interface DeadFilter {
  /** Only this account's. */
  readonly account?: string | undefined;
  /** Only this category's. */
  readonly category?: string | undefined;
  /** Only these ids. */
  readonly ids?: readonly string[] | undefined;
}

/**
 * The queries off the delivery path, through drizzle's typed query builder on the schema's tables: history,
 * dead letters, requeue, discard and prune. A column renamed or retyped in `tables.ts` fails to compile here.
 * Each runs on the `db` it is given: the pool for a read, or a transaction's connection.
 */
export class ColdQueries {
  readonly #tables: Tables;
  readonly #fields;

  /** @param tables - the schema's tables */
  constructor(tables: Tables) {
    this.#tables = tables;
    const e = tables.entries;
    this.#fields = {
      rk: e.rk,
      account: e.account,
      id: e.id,
      event: e.event,
      bytes: e.bytes,
      status: e.status,
      attempts: e.attempts,
      recordedAt: e.recordedAt,
      nextAttemptAt: e.nextAttemptAt,
      leaseOwner: e.leaseOwner,
      leaseUntil: e.leaseUntil,
      lastError: e.lastError,
      updatedAt: e.updatedAt,
      version: e.version,
      inDoubt: e.inDoubt,
      category: e.category,
    };
  }

  /**
   * An entry's lifecycle records, in order, each beside the entry's own `Recorded` columns (the entry alone, its
   * lifecycle columns `NULL`, when it has no `lifecycle` row); nothing for an unknown id.
   *
   * @param db - where to read
   * @param id - the entry's id
   */
  historyOf(db: NodePgDatabase, id: string) {
    const { entries, lifecycle } = this.#tables;
    return db
      .select({
        recordedAt: entries.recordedAt,
        recordedBytes: entries.recordedBytes,
        seq: lifecycle.seq,
        type: lifecycle.type,
        at: lifecycle.at,
        data: lifecycle.data,
      })
      .from(entries)
      .leftJoin(lifecycle, eq(lifecycle.rk, entries.rk))
      .where(eq(entries.id, id))
      .orderBy(asc(lifecycle.seq));
  }

  /**
   * The row key of an entry, or 0 for an unknown id: where a page after it starts.
   *
   * @param db - where to read
   * @param id - the entry's id
   */
  async rkOf(db: NodePgDatabase, id: string | undefined): Promise<number> {
    if (id === undefined) return 0;
    const { entries } = this.#tables;
    const [row] = await db.select({ rk: entries.rk }).from(entries).where(eq(entries.id, id));
    return row?.rk ?? 0;
  }

  /**
   * Dead letters matching `filter` after row key `after`, oldest first: a page of `listDead` (walking
   * `entries_dead_idx` when an account is named), or, `locked`, a chunk of a requeue.
   *
   * @param db - where to read: a transaction's connection when `locked`
   * @param filter - account, category, ids
   * @param after - the last row key of the previous page (0 for the first)
   * @param limit - the page size
   * @param locked - lock the rows until commit
   */
  deadAfter(
    db: NodePgDatabase,
    filter: DeadFilter,
    after: number,
    limit: number,
    locked = false,
  ): Promise<EntryRecord[]> {
    const { entries } = this.#tables;
    const conditions: (SQL | undefined)[] = [sql`${entries.status} = 'dead'`, gt(entries.rk, after)];
    if (filter.account !== undefined) conditions.push(eq(entries.account, filter.account));
    if (filter.category !== undefined) conditions.push(eq(entries.category, filter.category));
    if (filter.ids !== undefined) conditions.push(inArray(entries.id, [...filter.ids]));
    const query = db
      .select(this.#fields)
      .from(entries)
      .where(and(...conditions))
      .orderBy(asc(entries.rk))
      .limit(limit);
    return locked ? query.for('update') : query;
  }

  /**
   * An account's pending entries and dead letters after row key `after`, locked (skipping any a claim holds), for
   * discarding them a chunk at a time.
   *
   * @param db - a transaction's connection
   * @param account - the account
   * @param after - the last row key of the previous chunk (0 for the first)
   * @param limit - the chunk size
   */
  lockDiscardable(db: NodePgDatabase, account: string, after: number, limit: number): Promise<EntryRecord[]> {
    const { entries } = this.#tables;
    return db
      .select(this.#fields)
      .from(entries)
      .where(
        and(
          eq(entries.account, account),
          sql`${entries.status} IN ('pending', 'dead')`,
          gt(entries.rk, after),
        ),
      )
      .orderBy(asc(entries.rk))
      .limit(limit)
      .for('update', { skipLocked: true });
  }

  /**
   * Every account the counters know of (with entries now, or once): what a prune walks.
   *
   * @param db - where to read
   */
  async accounts(db: NodePgDatabase): Promise<string[]> {
    const { counters } = this.#tables;
    const rows = await db
      .selectDistinct({ account: counters.account })
      .from(counters)
      .orderBy(asc(counters.account));
    return rows.map((row) => row.account);
  }

  /**
   * An account's entries in `statuses` last updated before `cutoff`, oldest first, locked (skipping any a
   * requeue or another prune holds), walking `entries_finished_idx` (delivered, evicted) or `entries_dead_idx`.
   *
   * @param db - a transaction's connection
   * @param account - the account
   * @param statuses - `'finished'` (delivered and evicted) or `'dead'`
   * @param cutoff - epoch ms
   * @param limit - the chunk size
   */
  lockAgedOut(
    db: NodePgDatabase,
    account: string,
    statuses: 'finished' | 'dead',
    cutoff: number,
    limit: number,
  ) {
    const { entries } = this.#tables;
    const status =
      statuses === 'dead'
        ? sql`${entries.status} = 'dead'`
        : sql`${entries.status} IN ('delivered', 'evicted')`;
    return db
      .select({ rk: entries.rk, status: entries.status })
      .from(entries)
      .where(and(eq(entries.account, account), status, lt(entries.updatedAt, cutoff)))
      .orderBy(asc(entries.updatedAt), asc(entries.rk))
      .limit(limit)
      .for('update', { skipLocked: true });
  }

  /**
   * Deletes entries and their lifecycle logs.
   *
   * @param db - a transaction's connection
   * @param rks - their row keys
   */
  async deleteEntries(db: NodePgDatabase, rks: readonly number[]): Promise<void> {
    const { entries, lifecycle } = this.#tables;
    await db.delete(lifecycle).where(inArray(lifecycle.rk, [...rks]));
    await db.delete(entries).where(inArray(entries.rk, [...rks]));
  }
}
