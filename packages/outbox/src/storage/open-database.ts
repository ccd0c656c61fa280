import { closeSync, openSync, statSync } from 'node:fs';
import { StorageError } from '@hubline/core';
import Database from 'better-sqlite3';
import type { Durability } from '../types.js';
import { assertSchemaNotNewer, migrate } from './migrate.js';
import { toStorageError } from './to-storage-error.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  readonly path: string;
  readonly durability: Durability;
  readonly busyTimeoutMs: number;
}

/**
 * Page cache and memory-mapped reads sized for a backlog of about a million entries: claims and settles touch
 * the entries table, two indexes and the log, and SQLite's 2 MiB default cache would keep rereading them.
 * Exported so that benchmarks give the raw baseline the same settings.
 */
export const TUNING_PRAGMAS: readonly string[] = [
  'cache_size = -32768',
  'mmap_size = 268435456',
  'temp_store = MEMORY',
];

/** Owner read/write only: the outbox holds people's emails and activity. */
const FILE_MODE = 0o600;

/**
 * Opens (creating with mode 0600 if absent) and migrates an outbox database: WAL, the chosen `synchronous`
 * level and a busy timeout. Every failure is a {@link StorageError}; the connection is closed on failure.
 *
 * SQLite creates `-wal` and `-shm` with the main file's permissions, so creating the main file ourselves
 * with 0600 before SQLite touches it keeps all three private.
 *
 * @param options - path, durability, busy timeout
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const { path } = options;
  if (path !== ':memory:') createPrivateFile(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs });
    // Read before any write: a newer schema must leave the file exactly as it was.
    assertSchemaNotNewer(db);
    if (path !== ':memory:') {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new StorageError(`Outbox open failed for "${path}": WAL mode refused (${mode})`);
    }
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    for (const pragma of TUNING_PRAGMAS) db.pragma(pragma);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw toStorageError(error, 'open', path);
  }
}

function createPrivateFile(path: string): void {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) {
      throw new StorageError(
        `Outbox open failed for "${path}": the path is a directory, not a database file`,
      );
    }
    if (stats !== undefined) return;
    closeSync(openSync(path, 'wx', FILE_MODE));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return; // another process created it first
    throw toStorageError(error, 'open', path);
  }
}
