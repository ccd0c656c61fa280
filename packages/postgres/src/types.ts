import type { TimelineEventInput } from '@hubline/core';
import type {
  AccountDue,
  BudgetPause,
  BudgetStore,
  BudgetTake,
  BudgetWindow,
  ClaimedEntry,
  ClaimOptions,
  DeliveryStore,
  DiscardOptions,
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  OutboxStats,
  PruneOptions,
  Release,
  RequeueOptions,
  RequeueTarget,
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

/** The budget pauses and slots kept in the database, shared by every engine on it. See {@link BudgetStore}. */
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
  /**
   * Takes a slot of `key`'s sliding window for every process on the database: a row in `budget_slots`, counted
   * under an advisory lock per key that the takers of one key hold in turn until their commit.
   *
   * @param key - the budget's key (the account)
   * @param window - the limit: `requests` per `windowMs`
   * @returns `{ slot }`, or `{ waitMs }` until one may come free
   * @throws `ValidationError` `VALIDATION_FAILED` naming `key`, `requests` or `windowMs`
   */
  take(key: string, window: BudgetWindow): Promise<BudgetTake>;
  /**
   * The request a slot was taken for leaves now: the slot counts from now, for one window (an unknown or expired
   * slot too).
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  use(key: string, slot: string): Promise<void>;
  /**
   * The slot was not used: it is free again at once. An unknown slot is ignored.
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  giveBack(key: string, slot: string): Promise<void>;
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
   * Leases the oldest due entries of one account (`options.account`, default `'default'`) to `owner` in one
   * transaction, skipping (never waiting for) entries another claim holds. See {@link DeliveryStore.claim}.
   *
   * @param options - limit, byte budget, lease length, owner and account
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
  /**
   * See {@link DeliveryStore.nextDueIn}.
   *
   * @param account - that account's next due time; without it, the earliest over every account
   */
  nextDueIn(account?: string): Promise<number | null>;
  /**
   * Every account with pending or leased entries, each with its own next due time, earliest first: one index
   * seek per account, whatever the number of entries. See {@link DeliveryStore.accountsDue}.
   */
  accountsDue(): Promise<AccountDue[]>;
  /**
   * One entry with its projection, or `undefined`.
   *
   * @param id - the entry's id
   */
  get(id: string): Promise<StoredEntry | undefined>;
  /**
   * Counts for dashboards: a few rows of counters and one index probe per account, at any size.
   *
   * @param account - that account's counts; without it, the totals over every account
   */
  stats(account?: string): Promise<OutboxStats>;
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
   * @param options - `account` and `category` to narrow them, `limit` (default 100) and `afterId`, the last id
   *   of the previous page
   */
  listDead(options?: ListDeadOptions): Promise<StoredEntry[]>;
  /**
   * Puts dead letters back to pending with a fresh attempt budget (a `Requeued` event each), in one
   * transaction. Ids that are not dead letters are skipped. One dead letter may be amended on the way: its event
   * is patched and validated as `record` validates it, and an `Amended` event keeps the original in its history.
   *
   * @param target - the dead letters: ids, `'all-dead'`, or `{ account?, category? }`
   * @param options - `amend` (one id only) and `by`, kept in the history
   * @returns how many were requeued
   * @throws `ValidationError` `VALIDATION_FAILED` naming the field of a bad target, option or amended event
   */
  requeue(target: RequeueTarget, options?: RequeueOptions): Promise<number>;
  /**
   * Evicts an account's pending entries and dead letters (an app uninstalled from that portal), each with an
   * `Evicted` event giving the reason, a transaction per 1000 entries. Entries an engine holds are left to it.
   *
   * @param options - `account`, and the `reason` kept in the history
   * @returns how many were evicted
   */
  discard(options: DiscardOptions): Promise<number>;
  /**
   * Deletes delivered (and evicted) entries, with their history, last updated more than `olderThanMs` ago, and
   * dead letters that went dead more than `deadOlderThanMs` ago when it is given, account by account, a
   * transaction per 1000 entries. Nothing calls it for you.
   *
   * @param options - `olderThanMs`, the retention @default 7 days (`PRUNE_DEFAULTS.olderThanMs`); `deadOlderThanMs`
   *   @default dead letters are kept
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
