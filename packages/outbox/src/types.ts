import type { EntryState, LifecycleEvent, TimelineEvent, TimelineEventInput } from '@hubline/core';
import type { Observable } from 'rxjs';

/**
 * A minimal structured logger; the default does nothing. It never receives event content (emails, tokens) or
 * secrets: messages are fixed sentences, and fields hold ids, owners, counts and the database path. Shaped so
 * that `console`, pino or a thin adapter over any logger fits.
 *
 * @example
 * ```ts
 * const outbox = openOutbox({ path: 'activity.db', logger: console });
 * ```
 */
export interface OutboxLogger {
  /**
   * Routine facts: the outbox opened or closed, a claim took over an expired lease (`{ id, owner }`).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  debug(message: string, fields?: Record<string, unknown>): void;
  /**
   * Maintenance a person asked for: `prune` deleted entries (`{ pruned, olderThanMs }`).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  info(message: string, fields?: Record<string, unknown>): void;
  /**
   * Something worth a look that the outbox handled: entries evicted by the size cap (`{ evicted }`), settlements
   * refused because their lease was lost to another owner (`{ owner, lost }`).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  warn(message: string, fields?: Record<string, unknown>): void;
  /**
   * A write failed in SQLite (disk full, busy timeout, corrupt file): the `STORAGE_FAILED` error's message, with
   * `{ action }` naming the call. The error is thrown as well.
   *
   * @param message - the storage error's message
   * @param fields - its details
   */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** An entry handed out by {@link Outbox.claim}, ready to send. */
export interface ClaimedEntry {
  /** The entry's id, which is also the event's `id` sent to HubSpot: fixed at record time, the same on every attempt. */
  readonly id: string;
  /**
   * The normalised event. Parsed from {@link ClaimedEntry.json} on first read, then kept. A getter on the entry's
   * prototype, so a spread copy (`{ ...entry }`) does not carry it: copy it by name (`{ ...entry, event: entry.event }`).
   */
  readonly event: TimelineEvent;
  /**
   * The normalised event exactly as stored: `JSON.stringify` of `event`. Put it into a request body as is
   * (`{"inputs":[${entries.map((entry) => entry.json).join(',')}]}`) instead of stringifying `event` again.
   */
  readonly json: string;
  /** Attempts already used. */
  readonly attempts: number;
  /** Serialised size of the event in bytes. */
  readonly bytes: number;
  /** When the entry was recorded, epoch ms. */
  readonly recordedAt: number;
  /**
   * When this lease runs out, epoch ms. Settle before then: afterwards another claim may take the entry over, and
   * this owner's settlement comes back in `SettleResult.lost`.
   */
  readonly leaseUntil: number;
}

/** Options of {@link Outbox.claim}. */
export interface ClaimOptions {
  /** Maximum entries to lease. */
  limit: number;
  /** Maximum total bytes of the leased entries; at least one entry is always returned if any is due. */
  maxBytes?: number;
  /** Lease length in ms. */
  leaseMs: number;
  /** Who holds the lease (an engine id). */
  owner: string;
}

/**
 * The result of delivering one claimed entry, as the sync engine reports it. `settle` checks the shape and
 * refuses a malformed one with `VALIDATION_FAILED` naming `[index].field`.
 */
export type Settlement =
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** HubSpot has the event. */
      readonly type: 'delivered';
      /** HubSpot answered that the id already existed (an earlier attempt got through): delivered all the same. */
      readonly alreadyExisted: boolean;
    }
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** The attempt failed; the entry goes back to pending until `nextAttemptAt`. */
      readonly type: 'failed';
      /** Why, for `history` and `lastError` (e.g. `HTTP 503`, `timeout`). */
      readonly reason: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
      /** Whether this failure uses up an attempt (a 5xx does; being offline or rate-limited does not). */
      readonly countsAsAttempt: boolean;
      /** When the entry may be claimed again, epoch ms; a finite number. */
      readonly nextAttemptAt: number;
      /**
       * The attempt budget. When this failure counts and uses the last attempt, the outbox dead-letters the
       * entry in the same transaction (category `MAX_ATTEMPTS`) and lists it in `SettleResult.deadLettered`.
       * @default unlimited (the engine decides when to give up)
       */
      readonly maxAttempts?: number;
    }
  | {
      /** The claimed entry's id. */
      readonly id: string;
      /** HubSpot definitively refused the event: it is dead-lettered until a person requeues it. */
      readonly type: 'dead';
      /** HubSpot's error category (e.g. `VALIDATION_ERROR`), or the engine's (`MAX_ATTEMPTS`). */
      readonly category: string;
      /** HubSpot's message, for the person reading `listDead`. */
      readonly message: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
    };

/** What {@link Outbox.settle} did. */
export interface SettleResult {
  /** Ids whose settlement was applied. */
  readonly applied: readonly string[];
  /** Ids refused because the caller no longer holds their lease (expired and taken, or already settled). */
  readonly lost: readonly string[];
  /** Applied ids that ended dead-lettered (a `dead` settlement, or a failure that used the last attempt). */
  readonly deadLettered: readonly string[];
}

/**
 * Counts for dashboards; cheap enough to call every second on a million entries. Counts are of the entries in the
 * file: `prune` removes delivered and evicted entries from them.
 */
export interface OutboxStats {
  /** Entries waiting to be sent: due now or at a later retry time. */
  readonly pending: number;
  /** Entries leased by an engine (being sent), including leases that ran out and were not yet taken over. */
  readonly inFlight: number;
  /** Delivered entries not yet pruned. */
  readonly delivered: number;
  /** Dead letters waiting for a person (`listDead`, `requeue`). */
  readonly dead: number;
  /** Entries evicted by the size cap, not yet pruned. */
  readonly evicted: number;
  /** Age of the oldest pending or leased entry by the outbox's clock, 0 when none. */
  readonly oldestPendingAgeMs: number;
  /** Bytes of pending and leased entries (what the `maxBytes` cap counts). */
  readonly backlogBytes: number;
}

/**
 * One entry with its projection: core's {@link EntryState} (`status`, `attempts`, `recordedAt`, `bytes`,
 * `nextAttemptAt`, `leaseOwner`, `leaseUntil`, `lastError`, `updatedAt`), the fold of its lifecycle log.
 */
export interface OutboxEntry extends EntryState {
  /** The entry's id, which is also the event's `id`. */
  readonly id: string;
  /** The normalised event as stored (ids, timestamp and token values as strings, as HubSpot receives them). */
  readonly event: TimelineEvent;
}

/** One lifecycle event as stored, with its position in the entry's log. */
export interface HistoryRecord {
  /** Position in the entry's log, from 1 (`Recorded`). */
  readonly seq: number;
  /** The event: `Recorded`, `Claimed`, `Delivered`, `Failed`, `DeadLettered`, `Requeued`, `LeaseExpired` or `Evicted`. */
  readonly event: LifecycleEvent;
}

/** An entry evicted by the `evict-oldest` policy. */
export interface Eviction {
  /** The evicted entry's id. It cannot be requeued; recording it again is a no-op. */
  readonly id: string;
  /** Which limit made room necessary, e.g. `maxEntries 100000 reached`. */
  readonly reason: string;
}

/**
 * The durable outbox. Synchronous: every method returns once SQLite has committed. Every method but `close`
 * throws `OUTBOX_CLOSED` after `close()`.
 */
export interface Outbox {
  /**
   * Validate, assign an id (the input's own, or a new ULID), stamp `timestamp` if absent, and store the event
   * with its `Recorded` lifecycle event in one transaction. Returns once it is on disk.
   *
   * @param input - the event, as the app has it
   * @returns the id
   * @throws {@link ValidationError} `VALIDATION_FAILED` naming each bad field; nothing is written
   * @throws {@link IdConflictError} `ID_CONFLICT` for an id already recorded with different content
   * @throws {@link CapacityError} `CAPACITY_EXCEEDED` when full under the `'reject'` policy
   * @throws {@link StorageError} `STORAGE_FAILED` (disk full, busy timeout…); nothing is written
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
   * @throws the errors of `record`; `VALIDATION_FAILED` naming `inputs` when it is not an array
   */
  recordMany(inputs: readonly TimelineEventInput[]): string[];
  /**
   * Lease the oldest due entries — pending and due, or leased with a lease that ran out (recorded as
   * `LeaseExpired`) — to `owner`, in one `BEGIN IMMEDIATE` transaction.
   *
   * @param options - limit, byte budget, lease length and owner
   * @returns the leased entries, oldest first; empty when nothing is due
   * @throws {@link ValidationError} `VALIDATION_FAILED` for a limit, lease or owner that is not usable
   */
  claim(options: ClaimOptions): ClaimedEntry[];
  /**
   * Apply outcomes for entries leased by `owner`, in one transaction. A settlement whose lease `owner` no longer
   * holds is refused (listed in `lost`), never applied twice.
   *
   * @param owner - the owner the entries were claimed by
   * @param settlements - one outcome per entry
   * @returns what was applied, lost and dead-lettered
   * @throws {@link ValidationError} `VALIDATION_FAILED` naming `[index].field` for a malformed settlement; nothing is applied
   */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult;
  /** Earliest `nextAttemptAt` (or lease expiry) of any undelivered entry; `null` when nothing waits. */
  nextDueAt(): number | null;
  /**
   * One entry with its projection, or `undefined` (never recorded, or pruned).
   *
   * @param id - the entry's id
   */
  get(id: string): OutboxEntry | undefined;
  /**
   * The entry's whole lifecycle, oldest first: the answer to "why has this event not arrived?". Empty for an
   * unknown or pruned id.
   *
   * @param id - the entry's id
   */
  history(id: string): HistoryRecord[];
  /**
   * Dead letters, oldest first, a page at a time.
   *
   * @param options - `limit` (default 100) and `afterId`, the last id of the previous page
   */
  listDead(options?: { limit?: number; afterId?: string }): OutboxEntry[];
  /**
   * Put dead letters back to pending with a fresh attempt budget (a `Requeued` event each), in one transaction.
   * Ids that are not dead letters (pending, delivered, evicted, unknown) are skipped.
   *
   * @param ids - the dead letters to requeue, or `'all-dead'`
   * @returns how many were requeued
   */
  requeue(ids: readonly string[] | 'all-dead'): number;
  /**
   * Delete delivered (and evicted) entries, with their history, last updated more than `olderThanMs` ago, a
   * transaction per 1000 entries. Dead letters and the newest entry are kept. Nothing calls it for you.
   *
   * @param options - `olderThanMs`, the retention @default 7 days (`DEFAULT_RETENTION_MS`)
   * @returns how many entries were deleted
   */
  prune(options?: { olderThanMs?: number }): number;
  /** Counts for dashboards: constant time at any size. */
  stats(): OutboxStats;
  /**
   * Recompute every projection, and the counters, from the lifecycle log.
   *
   * Runs in one `BEGIN IMMEDIATE` transaction and so holds the write lock for the whole rebuild: 10–20 µs per
   * entry (`pnpm bench outbox` rebuilds 100k delivered entries in about 1.7 s on the development machine). Meanwhile other connections' writes (a sync engine's
   * claims and settles, another process's records) wait up to their `busyTimeoutMs` and then fail with
   * `STORAGE_FAILED`; reads go on. Run it with the engines stopped, or raise their busy timeout.
   *
   * Not chunked on purpose: the rebuild exists to repair a projection that disagrees with the log, and between
   * chunks other writers would decide from entries not yet repaired, while the recount of the counters must see
   * every projection at one moment. One transaction also makes it all or nothing: a log that cannot be folded
   * leaves every projection as it was.
   *
   * @throws {@link LifecycleError} `ILLEGAL_TRANSITION` when an entry's log cannot be folded (nothing is changed)
   * @throws {@link StorageError} `STORAGE_FAILED`, e.g. when another connection holds the write lock too long
   */
  rebuildProjection(): void;
  /**
   * Emits after each committed record/recordMany/requeue with the number of new due entries. Only this
   * process's writes: an engine sharing the file with other processes should also poll `nextDueAt()`.
   */
  readonly recorded$: Observable<number>;
  /** Emits entries evicted by the capacity policy. */
  readonly evicted$: Observable<Eviction>;
  /** Close the database. Safe to call twice. Completes the streams. */
  close(): void;
}
