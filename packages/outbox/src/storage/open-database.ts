import { closeSync, lstatSync, openSync, readlinkSync, statSync } from 'node:fs';
import { StorageError } from '@hubline/core';
import Database from 'better-sqlite3';
import { OUTBOX_DEFAULTS } from '../options/defaults.js';
import type { Durability, IntegrityCheck } from '../options/outbox-options.js';
import { assertOutboxFile, assertOutboxHeader } from './file-identity.js';
import { assertSchemaNotNewer, migrate } from './migrate.js';
import { isNativeAddonMissing, nativeAddonMissingError } from './native-addon.js';
import { toStorageError } from './to-storage-error.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** The database file, or `:memory:`. */
  readonly path: string;
  /** How hard each commit waits for the disk. */
  readonly durability: Durability;
  /** How long a write waits for another connection's lock, ms. */
  readonly busyTimeoutMs: number;
  /** SQLite page cache of this connection, in KiB. */
  readonly cacheSizeKiB: number;
  /** Memory-mapped I/O window, in bytes; 0 turns it off. */
  readonly mmapSizeBytes: number;
  /** Pages the write-ahead log takes before they are copied back into the file. */
  readonly checkpointPages: number;
  /** Check the pages before migrating and using the file. */
  readonly integrityCheck: IntegrityCheck;
}

/**
 * The pragmas that size SQLite's memory and its write-ahead log. Exported so that benchmarks give the raw baseline
 * the same settings.
 *
 * @param cacheSizeKiB - page cache in KiB @default {@link OUTBOX_DEFAULTS.cacheSizeKiB}
 * @param mmapSizeBytes - memory-mapped window in bytes, 0 for none @default {@link OUTBOX_DEFAULTS.mmapSizeBytes}
 * @param checkpointPages - log pages between checkpoints @default {@link OUTBOX_DEFAULTS.checkpointPages}
 */
export function tuningPragmas(
  cacheSizeKiB: number = OUTBOX_DEFAULTS.cacheSizeKiB,
  mmapSizeBytes: number = OUTBOX_DEFAULTS.mmapSizeBytes,
  checkpointPages: number = OUTBOX_DEFAULTS.checkpointPages,
): string[] {
  // A negative cache_size is in KiB rather than pages, so it does not depend on the page size.
  return [
    `cache_size = -${Math.floor(cacheSizeKiB)}`,
    `mmap_size = ${Math.floor(mmapSizeBytes)}`,
    `wal_autocheckpoint = ${Math.floor(checkpointPages)}`,
    'temp_store = MEMORY',
  ];
}

/** Owner read/write only: the outbox holds people's emails and activity. */
const FILE_MODE = 0o600;

/**
 * Opens (creating with mode 0600 if absent) and migrates an outbox database: WAL, the chosen `synchronous`
 * level, a busy timeout and the page cache / mmap sizes. Every failure is a {@link StorageError}; the connection is closed on failure.
 * The schema version is read through a read-only connection first, so that refusing a newer schema changes
 * neither the file nor its WAL (see `openSchemaGuard`).
 *
 * SQLite creates `-wal` and `-shm` with the main file's permissions, so creating the main file ourselves
 * with 0600 before SQLite touches it keeps all three private.
 *
 * @param options - path, durability, busy timeout, memory sizes
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const { path } = options;
  const onDisk = path !== ':memory:';
  if (onDisk) checkOrCreateFile(path);
  let guard: Database.Database | undefined;
  let db: Database.Database | undefined;
  try {
    if (onDisk) guard = openSchemaGuard(path);
    db = new Database(path, { timeout: options.busyTimeoutMs });
    // Checked again: the guard may not have been able to look, or a newer version migrated the file since.
    assertOutboxFile(db, path);
    assertSchemaNotNewer(db);
    if (onDisk) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new StorageError(`Outbox open failed for "${path}": WAL mode refused (${mode})`);
    }
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    for (const pragma of tuningPragmas(options.cacheSizeKiB, options.mmapSizeBytes, options.checkpointPages))
      db.pragma(pragma);
    if (options.integrityCheck !== 'off') assertIntact(db, options.integrityCheck, path);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw isNativeAddonMissing(error)
      ? nativeAddonMissingError(error, path)
      : toStorageError(error, 'open', path);
  } finally {
    // Closed last: a connection that closes while another is open neither checkpoints nor deletes the WAL.
    guard?.close();
  }
}

/** Problems quoted in the error at most; `integrity_check` can list thousands. */
const PROBLEMS_QUOTED = 3;

/**
 * Runs `PRAGMA quick_check` or `integrity_check` and refuses a damaged file.
 *
 * @param db - the connection, before migrations write anything
 * @param check - which check
 * @param path - for the message
 * @throws {@link StorageError} `STORAGE_FAILED` quoting the first problems SQLite found
 */
function assertIntact(db: Database.Database, check: 'quick' | 'full', path: string): void {
  const pragma = check === 'quick' ? 'quick_check' : 'integrity_check';
  const problems = (db.pragma(`${pragma}(${PROBLEMS_QUOTED})`) as Record<string, string>[]).map(
    (row) => Object.values(row)[0],
  );
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new StorageError(
    `Outbox open failed for "${path}": the database file failed its ${pragma} (${problems.join('\n').replace(/\n+/g, '; ')}); restore a backup or move the file aside`,
  );
}

/**
 * Refuses a database written by a newer schema through a read-only connection, before any read-write one
 * exists, and returns that connection for the caller to close once its read-write connection is set up.
 *
 * Why: the last connection to close a WAL database checkpoints the WAL into the main file and deletes it. A
 * read-write connection that found a newer schema and closed would so rewrite the file of a newer version
 * that crashed with commits still in its WAL. A read-only connection cannot checkpoint, and while it stays
 * open a failed read-write connection is not the last to close.
 *
 * A file the read-only connection cannot read as such (a hot rollback journal left by another tool, a
 * `-shm` it may not write) falls back to the read-write connection's own check, as before.
 *
 * @param path - an existing database file
 * @returns the open read-only connection, or `undefined` when the file cannot be read read-only
 * @throws {@link StorageError} `SCHEMA_TOO_NEW`; a corrupt file's error as SQLite raised it
 */
function openSchemaGuard(path: string): Database.Database | undefined {
  let guard: Database.Database | undefined;
  try {
    guard = new Database(path, { readonly: true, fileMustExist: true });
    assertOutboxFile(guard, path);
    assertSchemaNotNewer(guard);
    return guard;
  } catch (error) {
    guard?.close();
    const code = (error as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'))
    )
      return undefined;
    throw error;
  }
}

/**
 * Makes sure the path may be opened, before any SQLite connection: a dangling symbolic link, a directory and
 * another application's database (by its header) are refused; a missing file is created with mode 0600.
 */
function checkOrCreateFile(path: string): void {
  try {
    refuseDanglingLink(path);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) {
      throw new StorageError(
        `Outbox open failed for "${path}": the path is a directory, not a database file`,
      );
    }
    if (stats !== undefined) {
      assertOutboxHeader(path);
      return;
    }
    closeSync(openSync(path, 'wx', FILE_MODE));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return; // another process created it first
    throw toStorageError(error, 'open', path);
  }
}

/**
 * Refuses a symbolic link whose target does not exist: SQLite would follow it and create the target with the
 * process's default mode (0644, readable by everyone) where the outbox creates its files 0600.
 */
function refuseDanglingLink(path: string): void {
  if (!lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return;
  if (statSync(path, { throwIfNoEntry: false }) !== undefined) return;
  throw new StorageError(
    `Outbox open failed for "${path}": the path is a symbolic link to "${readlinkSync(path)}", which does not exist; nothing was created. Point the link at an existing file or give the outbox the real path`,
  );
}
