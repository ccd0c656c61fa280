import { readFileSync } from 'node:fs';
import { StorageError } from '@hubline/core';
import type { ClientBase } from 'pg';

/** One migration from drizzle-kit's journal. */
interface JournalEntry {
  readonly idx: number;
  readonly tag: string;
}

/**
 * The migrations folder, found relative to this module so that it works from `src/` (workspace), from `dist/`
 * (published: `files` includes `drizzle`) and from a bundle that copies the folder beside it.
 */
const MIGRATIONS_DIR = new URL('../../drizzle/', import.meta.url);

/** The table, in the store's schema, holding the number of migrations applied. Not part of drizzle's schema. */
export const VERSION_TABLE = 'hubline_schema_version';

let cachedMigrations: readonly (readonly string[])[] | undefined;

/** The statements of every migration, in order. Read once per process. */
function loadMigrations(): readonly (readonly string[])[] {
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

/** The schema version this code writes: the number of migrations it knows. */
function currentSchemaVersion(): number {
  return loadMigrations().length;
}

/**
 * Creates the schema and applies the migrations it lacks, in one transaction under an advisory lock, so that
 * several stores opening a new database at once migrate it once (the others wait, then find it done). A store
 * whose schema is up to date only reads its version: no lock, no DDL, no privilege beyond reading.
 *
 * @param client - a connection of the store's, outside any transaction
 * @param schema - the store's schema, a plain identifier
 * @throws {@link StorageError} `SCHEMA_TOO_NEW` when a newer version of the package migrated the schema
 */
export async function migrate(client: ClientBase, schema: string): Promise<void> {
  const migrations = loadMigrations();
  if ((await appliedVersion(client, schema)) === migrations.length) return;
  const quoted = `"${schema}"`;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), 0)', [`hubline:migrate:${schema}`]);
    const exists = await client.query('SELECT to_regnamespace($1) IS NOT NULL AS exists', [quoted]);
    if (exists.rows[0]?.exists !== true) await client.query(`CREATE SCHEMA ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.${VERSION_TABLE} (version integer NOT NULL)`);
    const applied = await appliedVersion(client, schema);
    if (applied === 0) await client.query(`INSERT INTO ${quoted}.${VERSION_TABLE} (version) VALUES (0)`);
    // drizzle-kit writes unqualified names: the search path puts them in the store's schema.
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    for (const statements of migrations.slice(applied)) {
      for (const statement of statements) await client.query(statement);
    }
    await client.query(`UPDATE ${quoted}.${VERSION_TABLE} SET version = $1`, [migrations.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The number of migrations applied to `schema`: 0 when it has none.
 *
 * @throws {@link StorageError} `SCHEMA_TOO_NEW` when it is more than this code knows
 */
async function appliedVersion(client: ClientBase, schema: string): Promise<number> {
  const table = `"${schema}".${VERSION_TABLE}`;
  const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [table]);
  if (found.rows[0]?.exists !== true) return 0;
  const version = Number(
    (await client.query(`SELECT max(version) AS version FROM ${table}`)).rows[0]?.version ?? 0,
  );
  const known = currentSchemaVersion();
  if (version > known) {
    throw new StorageError(
      `The outbox schema "${schema}" has version ${version}, newer than the ${known} this version of @hubline/postgres knows; upgrade @hubline/postgres to open it`,
      { code: 'SCHEMA_TOO_NEW' },
    );
  }
  return version;
}
