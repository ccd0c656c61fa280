import type { Logger, TemplateChecker } from '@hubline/core';
import type { CapacityPolicy } from '@hubline/core/store';

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

/**
 * Options of {@link openOutbox}. Only `path` is required.
 *
 * @example
 * ```ts
 * const outbox = openOutbox({
 *   path: '/var/lib/kiosk/activity.db',
 *   durability: 'full', // the kiosk may lose power
 *   maxEntries: 200_000, // about a week offline
 *   capacityPolicy: 'evict-oldest', // keep recording; watch evicted$
 *   busyTimeoutMs: 10_000, // two processes share the file
 *   logger: console,
 * });
 * ```
 */
export interface OutboxOptions {
  /**
   * Database file path, or `:memory:` for tests. A missing file is created, readable and writable by its owner
   * only; the folder must exist. Keep it on a local disk (WAL needs shared memory).
   */
  path: string;
  /**
   * How hard SQLite works to keep a committed record: `'normal'` survives the process being killed, `'full'`
   * also survives power loss at the cost of an fsync per commit (batch with `recordMany` when it matters).
   * @default 'normal'
   */
  durability?: Durability;
  /**
   * How long a write waits for another connection's write lock, in ms, before failing with `STORAGE_FAILED`.
   * Raise it when several processes share the file, or when someone runs `rebuildProjection` on it.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * Epoch-ms wall clock for record times, leases and due times; a reading that is not a whole number throws
   * `VALIDATION_FAILED`. Steps of it, forward or back, are absorbed (see the README's "Clock steps"). Inject one
   * in tests. @default Date.now
   */
  clock?: () => number;
  /**
   * Where the outbox reports evictions, lost leases, taken-over leases, clock steps, prunes and storage
   * failures: core's `Logger` (`console` fits). @default silentLogger
   */
  logger?: Logger;
  /** Maximum number of undelivered entries (pending + leased); dead letters do not count. @default Infinity */
  maxEntries?: number;
  /** Maximum bytes of undelivered entries (pending + leased); dead letters do not count. @default Infinity */
  maxBytes?: number;
  /**
   * What recording beyond `maxEntries` or `maxBytes` does: `'reject'` throws `CAPACITY_EXCEEDED` and writes
   * nothing; `'evict-oldest'` evicts the oldest pending entries, for good, and reports them on `evicted$`.
   * @default 'reject'
   */
  capacityPolicy?: CapacityPolicy;
  /** Maximum serialised size of one event in bytes. @default 65536 */
  maxEventBytes?: number;
  /**
   * The app's event templates: `record` refuses, naming the field, an event whose template does not exist, whose
   * tokens are unknown or do not fit their type, or whose identifiers do not fit the template's object type — on
   * the device, at record time, not as a dead letter later. A catalog declared in code (`declareTemplates` +
   * `createTemplateCatalog` from `@hubline/core`) or one loaded from HubSpot (`createTemplateLoader` from
   * `@hubline/sync`, which checks nothing until its first load, so an unreachable source never blocks recording).
   * @default no checking
   * @example
   * ```ts
   * const templates = createTemplateCatalog(declareTemplates([{ id: '1001234', objectType: 'contacts',
   *   tokens: [{ name: 'page', type: 'string' }, { name: 'seconds', type: 'number' }] }]));
   * const outbox = openOutbox({ path: 'activity.db', templates });
   * ```
   */
  templates?: TemplateChecker;
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
   * How many pages the write-ahead log may take before SQLite copies them back into the database file
   * (`PRAGMA wal_autocheckpoint`): an integer ≥ 1. Fewer copies cost less time per write; the log file keeps its
   * largest size on disk (pages × 4 KiB, plus a header per page) until the outbox closes. @default 4000 (about 16 MiB)
   */
  checkpointPages?: number;
  /**
   * Check every page before using the file, and refuse a damaged one with `STORAGE_FAILED` at open instead of
   * at the first call that reads a damaged page. Off by default because it reads the whole file: `'quick'` takes
   * about a second at a million entries (`pnpm bench outbox`), `'full'` longer, where opening without it takes
   * about a millisecond. Worth it once after an unclean
   * shutdown on hardware that may lose writes, or in a support tool.
   * @default 'off'
   */
  integrityCheck?: IntegrityCheck;
}
