import { closeSync, openSync, readSync } from 'node:fs';
import { StorageError } from '@hubline/core';
import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of a Hubline outbox: "HBLN" (migration 0009 stamps it). */
export const OUTBOX_APPLICATION_ID = 0x48424c4e;

/** The schema version that first stamped the application id: files below it are older outboxes, recognised by their tables. */
const STAMPED_FROM_VERSION = 10;

/** The tables every outbox has had since its first schema. */
const OUTBOX_TABLES = ['counters', 'entries', 'lifecycle'];

/** The first bytes of a SQLite file: its 100-byte header and the start of page 1's b-tree header. */
const HEADER_BYTES = 108;
const MAGIC = 'SQLite format 3\0';

/**
 * Refuses another application's database from its file header alone, before any SQLite connection exists: a
 * read-only connection on a WAL database creates its `-wal` and `-shm` files, and a read-write one may switch
 * its journal mode. Reads the application id (offset 68), the schema version (offset 60) and whether page 1, the
 * schema table, holds any entry (offset 103). What the header cannot settle (an older outbox, which has no
 * application id yet) is left to {@link assertOutboxFile} on a connection.
 *
 * @param path - an existing file
 * @throws {@link StorageError} `NOT_AN_OUTBOX` naming the path
 */
export function assertOutboxHeader(path: string): void {
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  // Empty or not SQLite at all: a new file, or one SQLite itself refuses in plain words.
  if (read < HEADER_BYTES || header.toString('latin1', 0, MAGIC.length) !== MAGIC) return;
  const applicationId = header.readUInt32BE(68);
  const version = header.readUInt32BE(60);
  const schemaEntries = header.readUInt16BE(103);
  if (applicationId === OUTBOX_APPLICATION_ID) return;
  if (applicationId !== 0)
    throw foreign(path, `its application id is ${applicationId}, not the outbox's ${OUTBOX_APPLICATION_ID}`);
  if (version === 0 && schemaEntries > 0) throw foreign(path, 'it has tables but no outbox schema version');
  if (version >= STAMPED_FROM_VERSION)
    throw foreign(path, `its schema version ${version} is not an outbox's`);
}

/** The refusal of another application's database. */
function foreign(path: string, why: string): StorageError {
  return new StorageError(
    `Outbox open failed for "${path}": the file is another application's SQLite database (${why}); it was left untouched. Give the outbox a path of its own`,
    { code: 'NOT_AN_OUTBOX' },
  );
}

/**
 * Refuses a database that belongs to another application, before anything writes to it: opening would add the
 * outbox's tables to it and switch its journal mode. A file is the outbox's when it is empty (a new file), when
 * it carries the outbox's application id, or when it is an outbox written before the id was stamped (an older
 * schema version, with the outbox's tables).
 *
 * @param db - a connection that has not written anything yet (read-only is enough)
 * @param path - the file, for the message
 * @throws {@link StorageError} `NOT_AN_OUTBOX` naming the path
 */
export function assertOutboxFile(db: Database.Database, path: string): void {
  // One read transaction: another process migrating the new file at the same moment commits its tables and its
  // stamp together, and separate reads could see the tables without the stamp.
  const { applicationId, version, tables } = db.transaction(() => ({
    applicationId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[]
    ).sort(),
  }))();
  if (applicationId === OUTBOX_APPLICATION_ID) return;
  if (applicationId === 0 && version === 0 && tables.length === 0) return; // a new, empty file
  const olderOutbox =
    applicationId === 0 &&
    version > 0 &&
    version < STAMPED_FROM_VERSION &&
    OUTBOX_TABLES.every((table) => tables.includes(table));
  if (olderOutbox) return;
  throw foreign(
    path,
    applicationId === 0
      ? `its tables (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}) are not an outbox's`
      : `its application id is ${applicationId}, not the outbox's ${OUTBOX_APPLICATION_ID}`,
  );
}
