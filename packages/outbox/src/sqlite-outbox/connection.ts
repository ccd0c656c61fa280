import { isHublineError } from '@hubline/core';
import {
  type EntryState,
  encodeEventData,
  evolve,
  type LifecycleEvent,
  readClock,
} from '@hubline/core/store';
import type Database from 'better-sqlite3';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { ColdQueries } from '../storage/cold-queries.js';
import type { Counts } from '../storage/counts.js';
import { LeaseBook } from '../storage/lease-book.js';
import { prepareStatements, type Statements } from '../storage/statements.js';
import { toStorageError } from '../storage/to-storage-error.js';
import { absorbClockStep } from './clock-step.js';
import { LeaseOwners } from './lease-owners.js';
import { pushProjection } from './log-rows.js';

/**
 * What every operation of one outbox shares: its connection, its prepared statements, its options, the leases it
 * took, and the transaction and counter helpers. The operations themselves live in `record.ts`, `claim.ts`,
 * `settle.ts` and `maintenance.ts`.
 */
export class OutboxConnection {
  /** The better-sqlite3 connection. */
  readonly db: Database.Database;
  /** The hot paths' prepared statements. */
  readonly sql: Statements;
  /** History, dead letters, prune and rebuild, through drizzle (see {@link ColdQueries}). */
  readonly cold: ColdQueries;
  /** The checked options the outbox was opened with. */
  readonly options: ResolvedOptions;
  /** Leases this connection took and has not settled: settling them needs no read (see {@link LeaseBook}). */
  readonly leases = new LeaseBook();
  /** The lease owners' processes, and the takeover of leases whose holder is gone (see {@link LeaseOwners}). */
  readonly owners: LeaseOwners;
  /** One transaction wrapper for every write: better-sqlite3 builds four closures per `transaction()` call. */
  readonly #transaction: Database.Transaction<(body: () => unknown) => unknown>;

  /**
   * @param db - a migrated connection
   * @param options - the checked options
   */
  constructor(db: Database.Database, options: ResolvedOptions) {
    this.db = db;
    this.options = options;
    this.sql = prepareStatements(db);
    this.cold = new ColdQueries(db);
    this.#transaction = db.transaction((body: () => unknown) => body());
    this.owners = new LeaseOwners(this);
  }

  /**
   * Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a reader never has to
   * upgrade to a writer mid-transaction (which fails at once instead of waiting out the busy timeout).
   * Storage failures surface as `StorageError` (`STORAGE_FAILED`); Hubline errors pass through; either rolls back.
   *
   * @param action - the public call, for the error message
   * @param body - the work
   */
  write<T>(action: string, body: () => T): T {
    try {
      return this.#transaction.immediate(body) as T;
    } catch (error) {
      const wrapped = toStorageError(error, action, this.options.path);
      if (isHublineError(wrapped, 'STORAGE_FAILED')) this.options.logger.error(wrapped.message, { action });
      throw wrapped;
    }
  }

  /**
   * The clock's reading, checked against the high-water mark kept in the file, inside a write transaction: a
   * step back is absorbed here (see `clock-step.ts`), once, by whichever process sees it first; a clock that
   * moved on raises the mark. Every write that stamps a time reads it here.
   */
  observeClock(): number {
    const now = this.options.clock();
    const reading = readClock(this.sql.readHighWater.get() as number, now);
    if (reading.kind === 'steady') return now;
    if (reading.kind === 'stepped-back') {
      const moved = absorbClockStep(this, now, reading.stepMs);
      this.options.logger.warn('the clock stepped back; waits moved back as much', {
        stepMs: reading.stepMs,
        entries: moved,
      });
    }
    this.sql.writeHighWater.run(now);
    return now;
  }

  /**
   * The clock's reading for a read that compares times (`nextDueIn`, `pausedFor`): when it finds the clock
   * stepped back it takes the write lock to absorb the step first, so that it never answers with waits the step
   * stretched.
   *
   * @param action - the public call, for the error message
   */
  clockForRead(action: string): number {
    const now = this.options.clock();
    const reading = readClock(
      this.read(action, () => this.sql.readHighWater.get() as number),
      now,
    );
    return reading.kind === 'stepped-back' ? this.write(action, () => this.observeClock()) : now;
  }

  /**
   * A read whose storage failures surface as `StorageError` (`STORAGE_FAILED`).
   *
   * @param action - the public call, for the error message
   * @param body - the work
   */
  read<T>(action: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw toStorageError(error, action, this.options.path);
    }
  }

  /**
   * Adds one transaction's changes to the `counters` row and to each account's `account_counters` row.
   *
   * @param counts - the changes
   */
  addCounters(counts: Counts): void {
    if (!counts.total.isZero) this.sql.addCounters.run(counts.total.values());
    for (const [account, delta] of counts.byAccount) {
      if (!delta.isZero) this.sql.addAccountCounters.run(account, ...delta.values());
    }
  }

  /**
   * Appends events to an entry's log, one statement each, and returns the state they lead to. For the cold
   * paths; claim and settle queue their rows for the multi-row statements instead.
   *
   * @param rk - the entry's row key
   * @param version - the entry's version before these events
   * @param before - the entry's state before these events
   * @param events - what to append
   */
  append(rk: number, version: number, before: EntryState, events: readonly LifecycleEvent[]): EntryState {
    let state = before;
    events.forEach((event, index) => {
      this.sql.insertEvent.run(rk, version + index + 1, event.type, event.at, encodeEventData(event));
      state = evolve(state, event);
    });
    return state;
  }

  /**
   * Writes one entry's projection.
   *
   * @param rk - the entry's row key
   * @param version - the entry's new version
   * @param state - the entry's new state
   */
  writeProjection(rk: number, version: number, state: EntryState): void {
    const values: unknown[] = [];
    pushProjection(values, state, version);
    values.push(rk);
    this.sql.updateProjection.run(values);
  }
}
