import type { Logger, TemplateChecker } from '@hubline/core';
import type { CapacityPolicy } from '@hubline/core/store';
import type { Pool } from 'pg';

/**
 * Options of {@link openPostgresOutbox}: where the database is (`connectionString` or `pool`, exactly one), and
 * how the store behaves.
 *
 * @example
 * ```ts
 * const outbox = await openPostgresOutbox({
 *   connectionString: process.env.DATABASE_URL,
 *   schema: 'hubline', // the default: apart from the app's tables
 *   maxEntries: 1_000_000,
 *   logger: console,
 * });
 * ```
 */
export interface PostgresOutboxOptions {
  /**
   * A `postgres://user:password@host:port/database` URL. The store opens a pool of its own on it (closed by
   * `close()`), plus one session of its own (see `pool`). Never quoted in errors or logs with its password.
   */
  connectionString?: string;
  /**
   * A `pg` pool of the app's to run the store's queries on instead; `close()` leaves it open. The store still
   * opens one session of its own with the pool's settings, which holds its lease owners' advisory locks and
   * listens for wake-ups, so it must reach PostgreSQL directly (not through a transaction-pooling proxy).
   */
  pool?: Pool;
  /**
   * The PostgreSQL schema of the store's tables: a plain identifier (letters, digits, `_`). Created and migrated
   * at open. Engines and apps that share an outbox name the same schema.
   * @default 'hubline'
   */
  schema?: string;
  /**
   * Connections of the store's own pool (with `connectionString`); ignored with `pool`.
   * @default 10
   */
  poolSize?: number;
  /**
   * Epoch-ms clock for record times, leases and due times; a reading that is not a whole number throws
   * `VALIDATION_FAILED`. Steps back are absorbed once, whichever store sees them first. Inject one in tests.
   * @default the database server's clock: read at open and every 10 s, advanced in between by this process's
   * monotonic clock, so that every machine sharing the outbox agrees on one time
   */
  clock?: () => number;
  /**
   * Where the store reports evictions, lost leases, taken-over leases, clock steps, prunes, connection trouble
   * and storage failures: core's `Logger` (`console` fits).
   * @default silentLogger
   */
  logger?: Logger;
  /** Maximum number of undelivered entries (pending + leased); dead letters do not count. @default Infinity */
  maxEntries?: number;
  /** Maximum bytes of undelivered entries (pending + leased); dead letters do not count. @default Infinity */
  maxBytes?: number;
  /**
   * What recording beyond `maxEntries` or `maxBytes` does: `'reject'` throws `CAPACITY_EXCEEDED` and writes
   * nothing; `'evict-oldest'` evicts the oldest pending entries, for good, and reports them on `evicted$`.
   * With either limit set, recorders of the outbox take turns (an advisory lock until their commit).
   * @default 'reject'
   */
  capacityPolicy?: CapacityPolicy;
  /** Maximum serialised size of one event in bytes. @default 65536 */
  maxEventBytes?: number;
  /**
   * The app's event templates: `record` refuses, naming the field, an event whose template does not exist, whose
   * tokens are unknown or do not fit their type, or whose identifiers do not fit the template's object type, as
   * the SQLite outbox does (see its `templates` option).
   * @default no checking
   */
  templates?: TemplateChecker;
}
