import { readFileSync } from 'node:fs';
import { StorageError } from '@hubline/core';
import type Database from 'better-sqlite3';

/** One migration from drizzle-kit's journal. */
interface JournalEntry {
  readonly idx: number;
  readonly tag: string;
}

/**
 * The migrations folder, found relative to this module so that it works from `src/` (workspace), from
 * `dist/` (published: `files` includes `drizzle`) and from a bundle that copies the folder beside it.
 */
const MIGRATIONS_DIR = new URL('../../drizzle/', import.meta.url);

/** The SQL of every migration, in order. Read once per process. */
let cachedMigrations: readonly string[][] | undefined;

function loadMigrations(): readonly string[][] {
  if (cachedMigrations !== undefined) return cachedMigrations;
  const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', MIGRATIONS_DIR), 'utf8')) as {
    entries: JournalEntry[];
  };
  cachedMigrations = [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) =>
      readFileSync(new URL(`${entry.tag}.sql`, MIGRATIONS_DIR), 'utf8')
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter((statement) => statement.length > 0),
    );
  return cachedMigrations;
}

/** The schema version this code writes: the number of migrations it knows. Stored in `PRAGMA user_version`. */
export function currentSchemaVersion(): number {
  return loadMigrations().length;
}

/**
 * Refuses a database written by a newer schema, before anything writes to it.
 *
 * @param db - an open connection that has not been written to yet
 * @throws {@link StorageError} `SCHEMA_TOO_NEW`
 */
export function assertSchemaNotNewer(db: Database.Database): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  const known = currentSchemaVersion();
  if (found > known) {
    throw new StorageError(
      `The outbox database has schema version ${found}, newer than the ${known} this version of @hubline/outbox knows; upgrade @hubline/outbox to open it`,
      { code: 'SCHEMA_TOO_NEW' },
    );
  }
}

/**
 * Applies the migrations this database lacks, in one `BEGIN IMMEDIATE` transaction, so that two processes
 * opening a new file at once do not both migrate it (the second waits, then sees the new version).
 *
 * @param db - an open connection in WAL mode
 */
export function migrate(db: Database.Database): void {
  const migrations = loadMigrations();
  if ((db.pragma('user_version', { simple: true }) as number) === migrations.length) return;
  db.transaction(() => {
    assertSchemaNotNewer(db);
    const applied = db.pragma('user_version', { simple: true }) as number;
    for (const statements of migrations.slice(applied)) {
      for (const statement of statements) db.exec(statement);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
