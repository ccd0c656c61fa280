import type { TimelineEventInput, TimelineEventPatch } from '@hubline/core';
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
import type { Observable } from 'rxjs';

/** The budget pauses an outbox keeps in its file, answered synchronously. See {@link BudgetStore}. */
export interface OutboxBudgets extends BudgetStore {
  /**
   * Pauses the budget for `delayMs` from the outbox's now, for every process sharing the file and across
   * restarts. Extends a shorter pause, never shortens a longer one.
   *
   * @param key - the budget's key: a non-empty string
   * @param delayMs - how long, ms: 0 to `MAX_DELAY_MS`
   * @param reason - why, for status displays and logs
   * @throws `ValidationError` `VALIDATION_FAILED` naming the argument
   */
  pause(key: string, delayMs: number, reason: string): void;
  /**
   * The pause in force for `key`, or `undefined`.
   *
   * @param key - the budget's key
   */
  pausedFor(key: string): BudgetPause | undefined;
  /**
   * Takes a slot of `key`'s sliding window, shared by every process on the file. See {@link BudgetStore.take}.
   *
   * @param key - the budget's key (the account)
   * @param window - requests per window and the window, ms
   * @throws `ValidationError` `VALIDATION_FAILED` naming `key`, `requests` or `windowMs`
   */
  take(key: string, window: BudgetWindow): BudgetTake;
  /**
   * The slot's request leaves now: it counts from now for one window. See {@link BudgetStore.use}.
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  use(key: string, slot: string): void;
  /**
   * The slot was not used: free again at once. See {@link BudgetStore.giveBack}.
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  giveBack(key: string, slot: string): void;
}

/**
 * The durable outbox: the storage port ({@link DeliveryStore}) on a SQLite file, plus recording and the
 * operator's tools. Synchronous: every method returns once SQLite has committed. Every method but `close`
 * throws `OUTBOX_CLOSED` after `close()`; `using outbox = openOutbox(…)` closes it at the end of the scope.
 */
export interface Outbox extends DeliveryStore {
  /**
   * Validate, assign an id (the input's own, or a new ULID), stamp `timestamp` if absent, and store the event
   * with its `Recorded` lifecycle event in one transaction. Returns once it is on disk.
   *
   * @param input - the event, as the app has it
   * @returns the id
   * @throws `ValidationError` `VALIDATION_FAILED` naming each bad field; nothing is written
   * @throws `IdConflictError` `ID_CONFLICT` for an id already recorded with different content
   * @throws `CapacityError` `CAPACITY_EXCEEDED` when full under the `'reject'` policy
   * @throws `StorageError` `STORAGE_FAILED` (disk full, busy timeout…); nothing is written
   * @example
   * ```ts
   * const id = outbox.record({ eventTemplateId: '1001234', email: 'ana@example.com', tokens: { page: '/pricing' } });
   * outbox.record({ id: 'visit-42', eventTemplateId: '1001234', objectId: '512', tokens: {} }); // the app's own id
   * ```
   */
  record(input: TimelineEventInput): string;
  /**
   * Like `record` for many, all-or-nothing in one transaction: one bad event, conflict or capacity refusal
   * anywhere writes nothing. Issues are named `[index].field`.
   *
   * @param inputs - the events, in order
   * @returns the ids in input order
   * @throws the errors of `record`; `VALIDATION_FAILED` naming `inputs` when it is not an array, `[index]` for a hole
   */
  recordMany(inputs: readonly TimelineEventInput[]): string[];
  /**
   * Lease the oldest due entries — pending and due, or leased with a lease that ran out or whose holder's
   * process on this machine is gone (recorded as `LeaseExpired`) — to `owner`, in one `BEGIN IMMEDIATE`
   * transaction. See {@link DeliveryStore.claim}.
   *
   * @param options - limit, byte budget, lease length and owner
   * @returns the leased entries, oldest due first; empty when nothing is due
   * @throws `ValidationError` `VALIDATION_FAILED` naming the option that is not usable
   */
  claim(options: ClaimOptions): ClaimedEntry[];
  /**
   * Apply outcomes for entries leased by `owner`, in one transaction. See {@link DeliveryStore.settle}.
   *
   * @param owner - the owner the entries were claimed by
   * @param settlements - one outcome per entry
   * @returns what was applied, lost and dead-lettered
   * @throws `ValidationError` `VALIDATION_FAILED` naming `[index].field`; nothing is applied
   */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult;
  /**
   * Give leased entries back unsent, in one transaction. See {@link DeliveryStore.release}.
   *
   * @param owner - the owner the entries were claimed by
   * @param releases - one per entry
   * @returns what was applied and lost
   * @throws `ValidationError` `VALIDATION_FAILED` naming `[index].field`; nothing is applied
   */
  release(owner: string, releases: readonly Release[]): SettleResult;
  /**
   * See {@link DeliveryStore.nextDueIn}.
   *
   * @param account - only this account's entries @default every account
   */
  nextDueIn(account?: string): number | null;
  /** See {@link DeliveryStore.accountsDue}: one indexed lookup per account with undelivered entries. */
  accountsDue(): AccountDue[];
  /**
   * One entry with its projection, or `undefined` (never recorded, or pruned).
   *
   * @param id - the entry's id
   * @throws `ValidationError` `VALIDATION_FAILED` when `id` is not a non-empty string
   */
  get(id: string): StoredEntry | undefined;
  /**
   * Counts for dashboards: constant time at any size.
   *
   * @param account - this account's counts @default the totals over every account
   */
  stats(account?: string): OutboxStats;
  /**
   * Emits after each committed record, recordMany, requeue or release with the number of entries it made due.
   * Only this outbox object's writes: an engine sharing the file with other processes also polls `nextDueIn()`.
   */
  readonly changes$: Observable<number>;
  /** Budget pauses kept in the file: shared by every process on it, surviving restarts. */
  readonly budgets: OutboxBudgets;
  /**
   * The entry's whole lifecycle, oldest first: the answer to "why has this event not arrived?". Empty for an
   * unknown or pruned id.
   *
   * @param id - the entry's id
   * @throws `ValidationError` `VALIDATION_FAILED` when `id` is not a non-empty string
   */
  history(id: string): HistoryRecord[];
  /**
   * Dead letters, oldest first, a page at a time, of every account or one, of every category or one.
   *
   * @param options - `limit` (default 100), `afterId` (the last id of the previous page), `account`, `category`
   * @throws `ValidationError` `VALIDATION_FAILED` naming the option
   */
  listDead(options?: ListDeadOptions): StoredEntry[];
  /**
   * Put dead letters back to pending with a fresh attempt budget (a `Requeued` event each), in one transaction.
   * Ids that are not dead letters (pending, delivered, evicted, unknown) are skipped. With `amend` (one id only),
   * the event is replaced first, validated exactly as `record` validates (templates included), and an `Amended`
   * event keeps the original in the history.
   *
   * @param target - the dead letters: ids, `'all-dead'`, or `{ account?, category? }`
   * @param options - `amend` (a {@link TimelineEventPatch}; never `id` or `account`) and `by`, who asked
   * @returns how many were requeued
   * @throws `ValidationError` `VALIDATION_FAILED` naming the argument, or `amend.<field>` for an amendment that
   *   does not make a valid event; nothing is changed
   * @example
   * ```ts
   * outbox.requeue(['01J…'], { amend: { tokens: { page: '/pricing' } }, by: 'ana@example.com' });
   * outbox.requeue({ account: '12345', category: 'VALIDATION_ERROR' });
   * ```
   */
  requeue(target: RequeueTarget, options?: RequeueOptions): number;
  /**
   * Drop an account's pending entries and dead letters (an app uninstalled from that portal): each gets an
   * `Evicted` event with the reason. Entries in flight are left to their engine. One transaction.
   *
   * @param options - `account`, and `reason` (default `account discarded`)
   * @returns how many entries were evicted
   * @throws `ValidationError` `VALIDATION_FAILED` naming `account` or `reason`
   */
  discard(options: DiscardOptions): number;
  /**
   * Delete delivered (and evicted) entries, with their history, last updated more than `olderThanMs` ago, and,
   * with `deadOlderThanMs`, dead letters dead for longer than that; a transaction per 1000 entries. The newest
   * entry is kept. Nothing calls it for you.
   *
   * @param options - `olderThanMs`, the retention @default 7 days (`PRUNE_DEFAULTS.olderThanMs`); `deadOlderThanMs`,
   *   the dead letters' retention @default kept
   * @returns how many entries were deleted
   * @throws `ValidationError` `VALIDATION_FAILED` naming `olderThanMs` or `deadOlderThanMs`
   */
  prune(options?: PruneOptions): number;
  /**
   * Recompute every projection, and the counters, from the lifecycle log.
   *
   * Runs in one `BEGIN IMMEDIATE` transaction and so holds the write lock for the whole rebuild: 10–20 µs per
   * entry (`pnpm bench outbox` rebuilds 100k delivered entries in about 1.5 s on the development machine).
   * Meanwhile other connections' writes (a sync engine's claims and settles, another process's records) wait up
   * to their `busyTimeoutMs` and then fail with `STORAGE_FAILED`; reads go on. Run it with the engines stopped,
   * or raise their busy timeout.
   *
   * Not chunked on purpose: the rebuild exists to repair a projection that disagrees with the log, and between
   * chunks other writers would decide from entries not yet repaired, while the recount of the counters must see
   * every projection at one moment. One transaction also makes it all or nothing: a log that cannot be folded
   * leaves every projection as it was.
   *
   * @throws `LifecycleError` `ILLEGAL_TRANSITION` when an entry's log cannot be folded (nothing is changed)
   * @throws `StorageError` `STORAGE_FAILED`, e.g. when another connection holds the write lock too long
   */
  rebuildProjection(): void;
  /** Emits entries evicted by the capacity policy. */
  readonly evicted$: Observable<Eviction>;
  /** Close the database. Safe to call twice. Completes the streams. */
  close(): void;
  /** `close()`, for `using outbox = openOutbox(…)`. */
  [Symbol.dispose](): void;
}
