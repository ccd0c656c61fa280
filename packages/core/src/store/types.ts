import type { TimelineEvent } from '../event/types.js';
import type { DeliveryEvidence, EntryState, ReleaseReason } from '../lifecycle/types.js';

/** A value, or a promise of it: a store may answer synchronously (SQLite) or not (a network database). */
export type MaybePromise<T> = T | Promise<T>;

/** What {@link DeliveryStore.claim} leases. */
export interface ClaimOptions {
  /** Maximum entries to lease: an integer ≥ 1. */
  readonly limit: number;
  /**
   * Maximum total bytes of the leased entries: at least one entry is returned whenever one is due, however large.
   * @default no limit
   */
  readonly maxBytes?: number;
  /** How long the lease lasts, ms: an integer from 1 to `MAX_DELAY_MS`. */
  readonly leaseMs: number;
  /** Who takes the lease: an engine's id, the same for its settlements and releases. */
  readonly owner: string;
  /** Claim only this account's entries: a batch never mixes accounts. @default 'default' */
  readonly account?: string;
}

/** An entry handed out by {@link DeliveryStore.claim}, ready to send. */
export interface ClaimedEntry {
  /** The entry's id, which is also the event's `id` sent to HubSpot: fixed at record time, the same on every attempt. */
  readonly id: string;
  /** The normalised event, as HubSpot receives it. */
  readonly event: TimelineEvent;
  /**
   * The normalised event exactly as stored: `JSON.stringify(event)`. Put it into a request body as is instead of
   * stringifying `event` again.
   */
  readonly json: string;
  /** Attempts already used (it may exceed the engine's budget while the entry is {@link ClaimedEntry.inDoubt}). */
  readonly attempts: number;
  /** Serialised size of the event in bytes. */
  readonly bytes: number;
  /** When the entry was recorded, epoch ms by the store's clock. */
  readonly recordedAt: number;
  /**
   * When this lease runs out, epoch ms by the store's clock: for display. An engine times its work with its own
   * clock from the `leaseMs` it asked for, and settles before then; afterwards another claim may take the entry
   * over and this owner's settlement comes back in {@link SettleResult.lost}.
   */
  readonly leaseUntil: number;
  /**
   * Whether HubSpot may already have the event: an earlier attempt's outcome was unknown. An engine that has a
   * read-back may check before sending again; a re-send is safe either way (HubSpot keeps one event per id).
   */
  readonly inDoubt: boolean;
  /** The HubSpot account (portal) the event belongs to; never sent to HubSpot. */
  readonly account: string;
}

/**
 * How one claimed entry's delivery ended, as the engine reports it to {@link DeliveryStore.settle}. Times are
 * relative: the store stamps `nextAttemptAt` from its own clock.
 */
export type Settlement =
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** HubSpot has the event. */
      readonly type: 'delivered';
      /** HubSpot answered that the id already existed (an earlier attempt got through): delivered all the same. */
      readonly alreadyExisted: boolean;
      /** What proved it; kept in the entry's history. */
      readonly evidence?: DeliveryEvidence;
    }
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** The attempt failed; the entry goes back to pending for `delayMs`. */
      readonly type: 'failed';
      /** Why, for the history and `lastError` (e.g. `HTTP 503`, `timeout`). */
      readonly reason: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
      /** Whether this failure uses up an attempt (a 5xx does; being offline or rate-limited does not). */
      readonly countsAsAttempt: boolean;
      /**
       * HubSpot may have the event (a 5xx, a timeout, a 2xx that is not HubSpot's batch answer). Such a failure
       * never dead-letters the entry: it stays pending and in doubt, whatever `maxAttempts` says.
       * @default false
       */
      readonly outcomeUnknown?: boolean;
      /** How long until the entry may be claimed again, ms from the store's now: 0 to `MAX_DELAY_MS`. */
      readonly delayMs: number;
      /**
       * The attempt budget. A counted failure with a known outcome that uses the last attempt dead-letters the
       * entry in the same transaction (category `MAX_ATTEMPTS`), listed in {@link SettleResult.deadLettered}.
       * @default unlimited (the engine decides when to give up)
       */
      readonly maxAttempts?: number;
    }
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** HubSpot definitively refused the event, or the engine gave it up on evidence: a dead letter. */
      readonly type: 'dead';
      /** HubSpot's error category (e.g. `VALIDATION_ERROR`), or Hubline's (`MAX_ATTEMPTS`, `PAYLOAD_TOO_LARGE`). */
      readonly category: string;
      /** HubSpot's message, for the person reading the dead letters. */
      readonly message: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
    };

/** A claimed entry given back unsent through {@link DeliveryStore.release}: no attempt is used. */
export interface Release {
  /** The claimed entry's id. */
  readonly id: string;
  /** Why it goes back. */
  readonly reason: ReleaseReason;
  /** The engine's words, kept in the history (e.g. `rate-limited: pausing 10 s`). */
  readonly detail: string;
  /** How long until it may be claimed again, ms from the store's now: 0 to `MAX_DELAY_MS`. @default 0 */
  readonly delayMs?: number;
}

/** What {@link DeliveryStore.settle} or {@link DeliveryStore.release} did. */
export interface SettleResult {
  /** Ids whose settlement was applied. */
  readonly applied: readonly string[];
  /** Ids refused because the caller no longer holds their lease (expired and taken, or already settled). */
  readonly lost: readonly string[];
  /** Applied ids that ended dead-lettered (a `dead` settlement, or a failure that used the last attempt). */
  readonly deadLettered: readonly string[];
}

/**
 * Counts for dashboards; cheap enough to ask every second. Counts are of the entries the store holds: pruning
 * removes delivered and evicted entries from them.
 */
export interface OutboxStats {
  /** Entries waiting to be sent: due now or at a later retry time. */
  readonly pending: number;
  /** Entries leased by an engine (being sent), including leases that ran out and were not yet taken over. */
  readonly inFlight: number;
  /** Delivered entries not yet pruned. */
  readonly delivered: number;
  /** Dead letters waiting for a person. */
  readonly dead: number;
  /** Entries evicted by the size cap, not yet pruned. */
  readonly evicted: number;
  /** Age of the oldest pending or leased entry by the store's clock, 0 when none. */
  readonly oldestPendingAgeMs: number;
  /** Bytes of pending and leased entries (what a byte cap counts). */
  readonly backlogBytes: number;
}

/**
 * One entry with its projection: core's {@link EntryState} (`status`, `attempts`, `recordedAt`, `bytes`,
 * `nextAttemptAt`, `leaseOwner`, `leaseUntil`, `lastError`, `updatedAt`, `inDoubt`), the fold of its lifecycle
 * log, with times by the store's clock.
 */
export interface StoredEntry extends EntryState {
  /** The entry's id, which is also the event's `id`. */
  readonly id: string;
  /** The normalised event as stored. */
  readonly event: TimelineEvent;
  /** The HubSpot account (portal) the entry belongs to; never sent to HubSpot. */
  readonly account: string;
}

/** An account with undelivered entries, and when its next one is due. */
export interface AccountDue {
  /** The account. */
  readonly account: string;
  /** Ms until its next entry is due, by the store's clock: 0 when one is due now. */
  readonly dueIn: number;
}

/** How long a budget is paused, and why. */
export interface BudgetPause {
  /** Time left, ms from the store's now; always > 0. */
  readonly remainingMs: number;
  /** The reason given with the longest pause, e.g. `429 DAILY`. */
  readonly reason: string;
}

/** The sliding window a budget slot is taken in: see {@link BudgetStore.take}. */
export interface BudgetWindow {
  /** Requests allowed in any window: an integer ≥ 1. */
  readonly requests: number;
  /** The window, ms: an integer from 1 to `MAX_DELAY_MS`. */
  readonly windowMs: number;
}

/** What {@link BudgetStore.take} answers: a slot to send with, or how long to wait before asking again. */
export type BudgetTake =
  | {
      /** A slot of the window, held until it is used or given back. */
      readonly slot: string;
    }
  | {
      /** The window is full: ms until a slot may come free (> 0). */
      readonly waitMs: number;
    };

/**
 * Pacing state kept in the store, so that every engine sharing it, in any process, and the next run after a
 * restart, see the same pauses. Keyed by a budget key (the HubSpot account, or one key for a single account).
 */
export interface BudgetStore {
  /**
   * Pauses the budget for `delayMs` from the store's now. Extends a shorter pause, never shortens a longer one;
   * the reason of whichever pause ends later is kept.
   *
   * @param key - the budget's key: a non-empty string
   * @param delayMs - how long, ms: 0 to `MAX_DELAY_MS`
   * @param reason - why, for status displays and logs
   */
  pause(key: string, delayMs: number, reason: string): MaybePromise<void>;
  /**
   * The pause in force for `key`, or `undefined` when it is not paused (never was, or its pause ran out).
   *
   * @param key - the budget's key
   */
  pausedFor(key: string): MaybePromise<BudgetPause | undefined>;
  /**
   * Takes a slot of `key`'s sliding window: granted while fewer than `window.requests` slots are held or were
   * used within the last `window.windowMs`, so that every process sharing the store keeps one budget per account.
   * A slot held but neither used nor given back for five windows is taken back (its holder is gone).
   *
   * @param key - the budget's key (the account)
   * @param window - the budget's limit
   * @returns `{ slot }`, or `{ waitMs }` until one may come free
   */
  take?(key: string, window: BudgetWindow): MaybePromise<BudgetTake>;
  /**
   * The request a slot was taken for leaves now: the slot counts from now, for one window.
   *
   * @param key - the budget's key
   * @param slot - what {@link BudgetStore.take} gave; an unknown or expired slot is counted from now all the same
   */
  use?(key: string, slot: string): MaybePromise<void>;
  /**
   * The slot was not used: it is free again at once. An unknown slot is ignored.
   *
   * @param key - the budget's key
   * @param slot - what {@link BudgetStore.take} gave
   */
  giveBack?(key: string, slot: string): MaybePromise<void>;
}

/**
 * A signal that entries became due without the engine's doing: new records, requeued dead letters, leases given
 * back. Emits how many; an RxJS `Observable<number>` fits.
 */
export interface ChangeSignal {
  /**
   * Calls `next` with the number of entries that became due, after each change that made some due.
   *
   * @param next - the listener
   * @returns a handle whose `unsubscribe()` stops the calls
   */
  subscribe(next: (dueCount: number) => void): ChangeSubscription;
}

/** What {@link ChangeSignal.subscribe} returns. */
export interface ChangeSubscription {
  /** Stops the calls to the listener. */
  unsubscribe(): void;
}

/**
 * The storage port: everything a delivery engine needs of a store, and nothing else. The SQLite outbox and the
 * in-memory store of `@hubline/outbox/testing` implement it; a contract suite (`describeStoreContract`) holds
 * every implementation to the same behaviour.
 *
 * Every time that crosses the port is relative (ms from the store's own now), so the engine's monotonic timers
 * and the store's wall clock never mix; stores absorb steps of their clock (see the outbox's README).
 */
export interface DeliveryStore {
  /**
   * Leases the oldest due entries to `options.owner`, in one atomic step: pending entries whose next attempt has
   * come, and leased entries whose lease ran out or whose holder's process is gone (recorded as `LeaseExpired`
   * first). Two claims, from any process, never lease the same entry at once.
   *
   * @param options - limit, byte budget, lease length and owner
   * @returns the leased entries, oldest due first; empty when nothing is due
   * @throws `VALIDATION_FAILED` naming the option for a limit, byte budget, lease or owner that is not usable
   */
  claim(options: ClaimOptions): MaybePromise<readonly ClaimedEntry[]>;
  /**
   * Applies outcomes for entries leased by `owner`, all at once. A settlement whose lease `owner` no longer holds
   * is refused and listed in `lost`, never applied twice; the others apply whatever the lost ones.
   *
   * @param owner - the owner the entries were claimed by
   * @param settlements - one outcome per entry
   * @returns what was applied, lost and dead-lettered
   * @throws `VALIDATION_FAILED` naming `[index].field` for a malformed settlement; nothing is applied
   */
  settle(owner: string, settlements: readonly Settlement[]): MaybePromise<SettleResult>;
  /**
   * Gives leased entries back unsent (`Released` in their histories): pending again after `delayMs`, with no
   * attempt used. Lost leases are listed as in {@link DeliveryStore.settle}.
   *
   * @param owner - the owner the entries were claimed by
   * @param releases - one per entry
   * @returns what was applied and lost (`deadLettered` is empty)
   * @throws `VALIDATION_FAILED` naming `[index].field` for a malformed release; nothing is applied
   */
  release(owner: string, releases: readonly Release[]): MaybePromise<SettleResult>;
  /**
   * How long until something can be claimed: the next pending entry's due time or the next lease's end, ms from
   * the store's now; 0 when something is due now (a lease whose holder is gone counts as due); `null` when nothing
   * waits. Never more than `MAX_DELAY_MS`, so it can go straight into a timer.
   */
  nextDueIn(account?: string): MaybePromise<number | null>;
  /**
   * Every account with undelivered entries (pending or leased), each with its own {@link DeliveryStore.nextDueIn},
   * earliest first. Cheap at a thousand accounts. A store that keeps one account only may leave it out: the engine
   * then drains the `'default'` account by {@link DeliveryStore.nextDueIn}.
   */
  accountsDue?(): MaybePromise<readonly AccountDue[]>;
  /**
   * One entry with its projection, or `undefined` (never recorded, or pruned).
   *
   * @param id - the entry's id
   */
  get(id: string): MaybePromise<StoredEntry | undefined>;
  /** Counts for dashboards. */
  stats(account?: string): MaybePromise<OutboxStats>;
  /**
   * Emits after each change that made entries due without the engine's doing (records, requeues, releases),
   * with how many. Only changes made through this store object: an engine sharing a file with other processes
   * also polls `nextDueIn()`.
   */
  readonly changes$: ChangeSignal;
  /** Pacing state shared through the store, when it keeps any. */
  readonly budgets?: BudgetStore;
}
