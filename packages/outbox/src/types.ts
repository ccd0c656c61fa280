import type { EntryState, LifecycleEvent, TimelineEvent, TimelineEventInput } from '@hubline/core';
import type { Observable } from 'rxjs';

/** How hard SQLite works to keep a committed record. */
export type Durability =
  /** WAL with `synchronous=NORMAL`: survives a killed process; the last commits may be lost on power loss. */
  | 'normal'
  /** WAL with `synchronous=FULL`: an fsync per commit; also survives power loss. */
  | 'full';

/** Whether {@link openOutbox} checks the database's pages before using it. */
export type IntegrityCheck =
  /** No check: opening reads only the header and the schema, in about a millisecond at any size. */
  | 'off'
  /** `PRAGMA quick_check`: every page of every table and index, without cross-checking indexes against tables. */
  | 'quick'
  /** `PRAGMA integrity_check`: `quick` plus index contents and uniqueness. The slowest. */
  | 'full';

/** What to do when recording would exceed `maxEntries` or `maxBytes`. */
export type CapacityPolicy =
  /** `record` throws a `CAPACITY_EXCEEDED` error and writes nothing. */
  | 'reject'
  /** The oldest pending entries are evicted (an `Evicted` lifecycle event each) and reported on `evicted$`. */
  | 'evict-oldest';

/** A minimal structured logger; the default does nothing. Never receives secrets. */
export interface OutboxLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link openOutbox}. */
export interface OutboxOptions {
  /** Database file path, or `:memory:` for tests. */
  path: string;
  /** @default 'normal' */
  durability?: Durability;
  /** How long to wait for another connection's write lock, in ms. @default 5000 */
  busyTimeoutMs?: number;
  /** Epoch-ms clock. @default Date.now */
  clock?: () => number;
  /** @default a no-op logger */
  logger?: OutboxLogger;
  /** Maximum number of undelivered entries (pending + leased). @default Infinity */
  maxEntries?: number;
  /** Maximum bytes of undelivered entries. @default Infinity */
  maxBytes?: number;
  /** @default 'reject' */
  capacityPolicy?: CapacityPolicy;
  /** Maximum serialised size of one event in bytes. @default 65536 */
  maxEventBytes?: number;
  /**
   * SQLite's page cache for this connection, in KiB (`PRAGMA cache_size`). Bounds the memory the outbox uses
   * however large the file grows; more than the default buys little, since claims and settles work near the
   * ends of the indexes. @default 8192 (8 MiB)
   */
  cacheSizeKiB?: number;
  /**
   * Memory-mapped I/O window in bytes (`PRAGMA mmap_size`); 0 turns it off. Mapped pages count in the
   * process's RSS up to this size. @default 0
   */
  mmapSizeBytes?: number;
  /**
   * Check every page before using the file, and refuse a damaged one with `STORAGE_FAILED` at open instead of
   * at the first call that reads a damaged page. Off by default because it reads the whole file: seconds at a
   * million entries, where opening without it takes about a millisecond. Worth it once after an unclean
   * shutdown on hardware that may lose writes, or in a support tool.
   * @default 'off'
   */
  integrityCheck?: IntegrityCheck;
}

/** An entry handed out by {@link Outbox.claim}, ready to send. */
export interface ClaimedEntry {
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
  readonly recordedAt: number;
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

/** The result of delivering one claimed entry, as the sync engine reports it. */
export type Settlement =
  | { readonly id: string; readonly type: 'delivered'; readonly alreadyExisted: boolean }
  | {
      readonly id: string;
      readonly type: 'failed';
      readonly reason: string;
      readonly status?: number;
      readonly countsAsAttempt: boolean;
      readonly nextAttemptAt: number;
      /**
       * The attempt budget. When this failure counts and uses the last attempt, the outbox dead-letters the
       * entry in the same transaction (category `MAX_ATTEMPTS`) and lists it in `SettleResult.deadLettered`.
       * @default unlimited (the engine decides when to give up)
       */
      readonly maxAttempts?: number;
    }
  | {
      readonly id: string;
      readonly type: 'dead';
      readonly category: string;
      readonly message: string;
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

/** Counts for dashboards; cheap enough to call every second on a million entries. */
export interface OutboxStats {
  readonly pending: number;
  readonly inFlight: number;
  readonly delivered: number;
  readonly dead: number;
  readonly evicted: number;
  /** Age of the oldest pending or leased entry, 0 when none. */
  readonly oldestPendingAgeMs: number;
  /** Bytes of pending and leased entries. */
  readonly backlogBytes: number;
}

/** One entry with its projection. */
export interface OutboxEntry extends EntryState {
  readonly id: string;
  readonly event: TimelineEvent;
}

/** One lifecycle event as stored, with its position in the entry's log. */
export interface HistoryRecord {
  readonly seq: number;
  readonly event: LifecycleEvent;
}

/** An entry evicted by the `evict-oldest` policy. */
export interface Eviction {
  readonly id: string;
  readonly reason: string;
}

/** The durable outbox. Synchronous: every method returns once SQLite has committed. */
export interface Outbox {
  /** Validate, assign an id, store with its `Recorded` event. Returns the id. */
  record(input: TimelineEventInput): string;
  /** Like `record` for many, all-or-nothing in one transaction. Returns the ids in order. */
  recordMany(inputs: readonly TimelineEventInput[]): string[];
  /** Lease the oldest due entries. */
  claim(options: ClaimOptions): ClaimedEntry[];
  /** Apply outcomes for entries leased by `owner`. */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult;
  /** Earliest `nextAttemptAt` (or lease expiry) of any undelivered entry; `null` when nothing waits. */
  nextDueAt(): number | null;
  /** One entry, or `undefined`. */
  get(id: string): OutboxEntry | undefined;
  /** The entry's whole lifecycle, oldest first. */
  history(id: string): HistoryRecord[];
  /** Dead letters, oldest first. */
  listDead(options?: { limit?: number; afterId?: string }): OutboxEntry[];
  /** Put dead letters back to pending (a `Requeued` event each). Returns how many. */
  requeue(ids: readonly string[] | 'all-dead'): number;
  /**
   * Delete delivered (and evicted) entries, with their history, last updated more than `olderThanMs` ago.
   * Returns how many. @default olderThanMs 7 days (`DEFAULT_RETENTION_MS`)
   */
  prune(options?: { olderThanMs?: number }): number;
  /** Counts for dashboards. */
  stats(): OutboxStats;
  /**
   * Recompute every projection, and the counters, from the lifecycle log.
   *
   * Runs in one `BEGIN IMMEDIATE` transaction and so holds the write lock for the whole rebuild: about 10 µs per
   * entry (~2 s at 200k entries on the development machine). Meanwhile other connections' writes (a sync engine's
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
