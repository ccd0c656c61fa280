import type Database from 'better-sqlite3';
import type { OutboxOptions } from '../options/outbox-options.js';
import { resolveOptions } from '../options/resolve-options.js';
import { openDatabase } from '../storage/open-database.js';
import { toStorageError } from '../storage/to-storage-error.js';
import { SqliteOutbox } from './sqlite-outbox.js';

/** An outbox with the connection under it. */
export interface OpenedSqliteOutbox {
  /** The outbox; closing it closes `db`. */
  readonly outbox: SqliteOutbox;
  /** Its better-sqlite3 connection. */
  readonly db: Database.Database;
}

/**
 * What {@link openOutbox} does, returning the connection as well: for the package's own tests and benchmarks,
 * which look at the file through it. Not exported by the package.
 *
 * @param options - as for `openOutbox`
 */
export function openSqliteOutbox(options: OutboxOptions): OpenedSqliteOutbox {
  const settings = resolveOptions(options);
  const db = openDatabase({
    path: settings.path,
    durability: settings.durability,
    busyTimeoutMs: settings.busyTimeoutMs,
    cacheSizeKiB: settings.cacheSizeKiB,
    mmapSizeBytes: settings.mmapSizeBytes,
    checkpointPages: settings.checkpointPages,
    integrityCheck: settings.integrityCheck,
  });
  let outbox: SqliteOutbox;
  try {
    outbox = new SqliteOutbox(db, settings);
  } catch (error) {
    db.close();
    throw toStorageError(error, 'open', settings.path);
  }
  settings.logger.debug('outbox opened', { path: settings.path, durability: settings.durability });
  return { outbox, db };
}
