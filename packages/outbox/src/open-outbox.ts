import type { OutboxOptions } from './options/outbox-options.js';
import { openSqliteOutbox } from './sqlite-outbox/open-sqlite-outbox.js';
import type { Outbox } from './types.js';

/**
 * Opens (creating and migrating if needed) a durable outbox on a SQLite file.
 *
 * @param options - the path and the durability, capacity, clock and logger settings
 * @returns the outbox; every method is synchronous and returns once SQLite has committed
 * @throws `StorageError` `STORAGE_FAILED` for a file that is not a database, a directory or an unwritable
 * path, and for a damaged file when `integrityCheck` is on; `SCHEMA_TOO_NEW` for a database written by a newer
 * version (left untouched, its WAL included)
 * @throws `ValidationError` for impossible options
 * @example
 * ```ts
 * const outbox = openOutbox({ path: 'activity.db', maxEntries: 100_000, capacityPolicy: 'evict-oldest' });
 * const id = outbox.record({ eventTemplateId: '1001234', email: 'ana@example.com', tokens: { page: '/pricing' } });
 * outbox.close();
 * ```
 */
export function openOutbox(options: OutboxOptions): Outbox {
  return openSqliteOutbox(options).outbox;
}
