import type { TimelineEventInput } from '@hubline/core';
import type {
  BudgetPause,
  BudgetStore,
  ClaimedEntry,
  ClaimOptions,
  DeliveryStore,
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  OutboxStats,
  PruneOptions,
  Release,
  Settlement,
  SettleResult,
  StoredEntry,
} from '@hubline/core/store';
import type { ClientBase } from 'pg';
import type { Observable } from 'rxjs';
import type { DrizzleExecutor } from './storage/runner.js';

/**
 * The app's own transaction, for recording in it: a `pg` client between the app's `BEGIN` and `COMMIT` (a
 * `PoolClient` from `pool.connect()`, or a `Client`), or the `tx` of drizzle's `db.transaction(async (tx) => …)`.
 * Not a `Pool`: its queries would each run on whichever connection is free, outside the transaction.
 */
export type AppTransaction = ClientBase | DrizzleExecutor;

/** The budget pauses kept in the database, shared by every engine on it. See {@link BudgetStore}. */
export interface PostgresBudgets extends BudgetStore {
  /**
   * Pauses the budget for `delayMs` from the store's now, for every engine sharing the database: one row per
   * key, updated in one statement that extends a shorter pause and never shortens a longer one.
   *
   * @param key - the budget's key: a non-empty string
   * @param delayMs - how long, ms: 0 to `MAX_DELAY_MS`
   * @param reason - why, for status displays and logs
   * @throws `ValidationError` `VALIDATION_FAILED` naming the argument
   */
  pause(key: string, delayMs: number, reason: string): Promise<void>;
  /**
   * The pause in force for `key`, or `undefined`.
   *
   * @param key - the budget's key
   */
  pausedFor(key: string): Promise<BudgetPause | undefined>;
}

/**
 * The outbox on PostgreSQL: the storage port ({@link DeliveryStore}) for many engines on many machines, plus
 * recording (on its own or inside the app's transaction) and the operator's tools. Every method returns a
 * promise; every method but `close` rejects with `OUTBOX_CLOSED` after `close()`.
 */
export interface PostgresOutbox extends DeliveryStore {
  /**
   * Validates, assigns an id (the input's own, or a new ULID), stamps `timestamp` if absent, and stores the
   * event with its `Recorded` lifecycle event, committed when the promise resolves.
   *
   * @param input - the event, as the app has it
   * @returns the id
   * @throws `ValidationError` `VALIDATION_FAILED` naming each bad field; nothing is written
   * @throws `IdConflictError` `ID_CONFLICT` for an id already recorded with different content
   * @throws `CapacityError` `CAPACITY_EXCEEDED` when full under the `'reject'` policy
   * @throws `StorageError` `STORAGE_FAILED` when PostgreSQL fails; nothing is written
   */
  record(input: TimelineEventInput): Promise<string>;
  /**
   * Records the event inside the app's transaction, so that the app's own write and the event commit or roll
   * back together (the transactional outbox). Engines are woken when the app commits.
   *
   * @param tx - the app's transaction: a `pg` client after `BEGIN`, or a drizzle transaction
   * @param input - the event
   * @returns the id
   * @throws the errors of {@link PostgresOutbox.record}; on any of them the app's transaction holds nothing of
   *   the event (roll it back all the same: a PostgreSQL error aborts it)
   * @example
   * ```ts
   * const client = await pool.connect();
   * try {
   *   await client.query('BEGIN');
   *   await client.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [orderId, total]);
   *   await outbox.record(client, { id: `order-${orderId}`, eventTemplateId: '1001234', email, tokens: { total } });
   *   await client.query('COMMIT');
   * } catch (error) {
   *   await client.query('ROLLBACK');
   *   throw error;
   * } finally {
   *   client.release();
   * }
   * ```
   */
  record(tx: AppTransaction, input: TimelineEventInput): Promise<string>;
  /**
   * Like `record` for many, all or nothing: one bad event, conflict or capacity refusal anywhere writes nothing.
   * Issues are named `[index].field`.
   *
   * @param inputs - the events, in order
   * @returns the ids in input order
   */
  recordMany(inputs: readonly TimelineEventInput[]): Promise<string[]>;
  /**
   * Like `record(tx, input)` for many, all or nothing inside the app's transaction (a savepoint undoes a
   * refused batch, so the app's own writes stay).
   *
   * @param tx - the app's transaction, which must be open (`BEGIN`)
   * @param inputs - the events, in order
   * @returns the ids in input order
   */
  recordMany(tx: AppTransaction, inputs: readonly TimelineEventInput[]): Promise<string[]>;
  /**
   * Leases the oldest due entries to `owner` in one transaction, skipping (never waiting for) entries another
   * claim holds. See {@link DeliveryStore.claim}.
   *
   * @param options - limit, byte budget, lease length and owner
   */
  claim(options: ClaimOptions): Promise<ClaimedEntry[]>;
  /**
   * Applies outcomes in one transaction. See {@link DeliveryStore.settle}.
   *
   * @param owner - the owner the entries were claimed by
   * @param settlements - one outcome per entry
   */
  settle(owner: string, settlements: readonly Settlement[]): Promise<SettleResult>;
  /**
   * Gives leased entries back unsent, in one transaction. See {@link DeliveryStore.release}.
   *
   * @param owner - the owner the entries were claimed by
   * @param releases - one per entry
   */
  release(owner: string, releases: readonly Release[]): Promise<SettleResult>;
  /** See {@link DeliveryStore.nextDueIn}. */
  nextDueIn(): Promise<number | null>;
  /**
   * One entry with its projection, or `undefined`.
   *
   * @param id - the entry's id
   */
  get(id: string): Promise<StoredEntry | undefined>;
  /** Counts for dashboards: a few rows of counters and one index probe, at any size. */
  stats(): Promise<OutboxStats>;
  /**
   * Emits after each change that made entries due without an engine's doing, with how many: this store's
   * records, requeues and releases once committed, the app's `record(tx, …)` once the app commits, and those of
   * every other store on the schema (through `LISTEN`/`NOTIFY`), so that idle engines need not poll hard.
   */
  readonly changes$: Observable<number>;
  /** Budget pauses kept in the database: shared by every engine, surviving restarts. */
  readonly budgets: PostgresBudgets;
  /**
   * The entry's whole lifecycle, oldest first. Empty for an unknown or pruned id.
   *
   * @param id - the entry's id
   */
  history(id: string): Promise<HistoryRecord[]>;
  /**
   * Dead letters, oldest first, a page at a time.
   *
   * @param options - `limit` (default 100) and `afterId`, the last id of the previous page
   */
  listDead(options?: ListDeadOptions): Promise<StoredEntry[]>;
  /**
   * Puts dead letters back to pending with a fresh attempt budget (a `Requeued` event each), in one
   * transaction. Ids that are not dead letters are skipped.
   *
   * @param ids - the dead letters to requeue, or `'all-dead'`
   * @returns how many were requeued
   */
  requeue(ids: readonly string[] | 'all-dead'): Promise<number>;
  /**
   * Deletes delivered (and evicted) entries, with their history, last updated more than `olderThanMs` ago, a
   * transaction per 1000 entries. Dead letters are kept. Nothing calls it for you.
   *
   * @param options - `olderThanMs`, the retention @default 7 days (`DEFAULT_RETENTION_MS`)
   * @returns how many entries were deleted
   */
  prune(options?: PruneOptions): Promise<number>;
  /** Emits entries evicted by the capacity policy (by this store object). */
  readonly evicted$: Observable<Eviction>;
  /** The schema holding the tables. */
  readonly schema: string;
  /**
   * Ends the store's session (freeing its lease owners: other stores take their leases over at once) and, when
   * the store opened it, its pool. Completes the streams. Safe to call twice.
   */
  close(): Promise<void>;
  /** `close()`, for `await using outbox = await openPostgresOutbox(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}
