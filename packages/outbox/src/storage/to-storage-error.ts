import { isHublineError, StorageError } from '@hubline/core';

/** Plain words for the SQLite result codes a user is likely to meet. */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'the disk (or the database page limit) is full',
  SQLITE_BUSY: 'another connection held the write lock longer than the busy timeout',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_CANTOPEN: 'the database file cannot be opened (a directory, a missing folder, or no permission)',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_IOERR: 'an I/O error occurred',
  SQLITE_PERM: 'permission denied',
};

/**
 * Normalises anything thrown while talking to SQLite into a {@link StorageError} (`STORAGE_FAILED`) naming
 * what was being done, keeping the original as `cause`. Hubline errors pass through unchanged.
 *
 * @param error - what was thrown
 * @param action - what the outbox was doing, e.g. `record`
 * @param path - the database path, for the message
 */
export function toStorageError(error: unknown, action: string, path: string): Error {
  if (isHublineError(error)) return error as Error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  const base = typeof code === 'string' ? code.replace(/_[A-Z]+$/, '') : undefined;
  const explanation =
    (typeof code === 'string'
      ? (EXPLANATIONS[code] ?? (base ? EXPLANATIONS[base] : undefined))
      : undefined) ?? detail;
  return new StorageError(`Outbox ${action} failed for "${path}": ${explanation} (${detail})`, {
    cause: error,
  });
}
