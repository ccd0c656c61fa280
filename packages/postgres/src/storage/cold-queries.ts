import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Tables } from '../schema/tables.js';
import type { EntryRecord } from './projection.js';

/**
 * The queries off the delivery path, through drizzle's typed query builder on the schema's tables: history,
 * dead letters, requeue and prune. A column renamed or retyped in `tables.ts` fails to compile here. Each runs
 * on the `db` it is given: the pool for a read, or a transaction's connection.
 */
export class ColdQueries {
  readonly #tables: Tables;
  readonly #account: string;
  readonly #fields;

  /**
   * @param tables - the schema's tables
   * @param account - the account every query is about
   */
  constructor(tables: Tables, account: string) {
    this.#tables = tables;
    this.#account = account;
    const e = tables.entries;
    this.#fields = {
      rk: e.rk,
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
    };
  }

  /**
   * An entry's lifecycle records, in order; empty for an unknown id.
   *
   * @param db - where to read
   * @param id - the entry's id
   */
  historyOf(db: NodePgDatabase, id: string) {
    const { entries, lifecycle } = this.#tables;
    return db
      .select({ seq: lifecycle.seq, type: lifecycle.type, at: lifecycle.at, data: lifecycle.data })
      .from(lifecycle)
      .where(
        inArray(
          lifecycle.rk,
          db
            .select({ rk: entries.rk })
            .from(entries)
            .where(and(eq(entries.account, this.#account), eq(entries.id, id))),
        ),
      )
      .orderBy(asc(lifecycle.seq));
  }

  /**
   * A page of dead letters, oldest first, after the dead letter `afterId` (from the first when absent or
   * unknown), walking `entries_dead_idx`.
   *
   * @param db - where to read
   * @param afterId - the last id of the previous page
   * @param limit - the page size
   */
  async deadAfter(db: NodePgDatabase, afterId: string | undefined, limit: number): Promise<EntryRecord[]> {
    const { entries } = this.#tables;
    const [after] =
      afterId === undefined
        ? []
        : await db
            .select({ rk: entries.rk })
            .from(entries)
            .where(and(eq(entries.account, this.#account), eq(entries.id, afterId)));
    return db
      .select(this.#fields)
      .from(entries)
      .where(
        and(
          eq(entries.account, this.#account),
          sql`${entries.status} = 'dead'`,
          gt(entries.rk, after?.rk ?? 0),
        ),
      )
      .orderBy(asc(entries.rk))
      .limit(limit);
  }

  /**
   * Dead letters after row key `after`, locked, for requeueing all of them a chunk at a time.
   *
   * @param db - a transaction's connection
   * @param after - the last row key of the previous chunk (0 for the first)
   * @param limit - the chunk size
   */
  lockDeadAfter(db: NodePgDatabase, after: number, limit: number): Promise<EntryRecord[]> {
    const { entries } = this.#tables;
    return db
      .select(this.#fields)
      .from(entries)
      .where(and(eq(entries.account, this.#account), sql`${entries.status} = 'dead'`, gt(entries.rk, after)))
      .orderBy(asc(entries.rk))
      .limit(limit)
      .for('update');
  }

  /**
   * The dead letters among `ids`, locked in row-key order.
   *
   * @param db - a transaction's connection
   * @param ids - the ids asked for
   */
  lockDeadByIds(db: NodePgDatabase, ids: readonly string[]): Promise<EntryRecord[]> {
    const { entries } = this.#tables;
    return db
      .select(this.#fields)
      .from(entries)
      .where(
        and(
          eq(entries.account, this.#account),
          inArray(entries.id, [...ids]),
          sql`${entries.status} = 'dead'`,
        ),
      )
      .orderBy(asc(entries.rk))
      .for('update');
  }

  /**
   * Delivered and evicted entries last updated before `cutoff`, oldest first, locked (skipping any a requeue or
   * another prune holds), walking `entries_finished_idx`.
   *
   * @param db - a transaction's connection
   * @param cutoff - epoch ms
   * @param limit - the chunk size
   */
  lockFinishedBefore(db: NodePgDatabase, cutoff: number, limit: number) {
    const { entries } = this.#tables;
    return db
      .select({ rk: entries.rk, status: entries.status })
      .from(entries)
      .where(
        and(
          eq(entries.account, this.#account),
          sql`${entries.status} IN ('delivered', 'evicted')`,
          lt(entries.updatedAt, cutoff),
        ),
      )
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
