import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/storage/migrate.js';
import { type TempDir, tempDir } from './support.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = join(PACKAGE, 'src', 'storage', 'schema.ts');
const DRIZZLE_KIT = join(
  createRequire(import.meta.url)
    .resolve('drizzle-kit')
    .replace(/index\.(c|m)?js$/, ''),
  'bin.cjs',
);

/**
 * Runs the local drizzle-kit in `cwd` against `schema.ts`, with migrations in `cwd/drizzle`. drizzle-kit exits 0
 * even when it fails, so the caller checks its output and files.
 */
function drizzleKit(cwd: string, ...args: string[]): string {
  // drizzle-kit resolves `out` against the working directory; a plain object needs no import of drizzle-kit.
  writeFileSync(
    join(cwd, 'drizzle.config.mjs'),
    `export default ${JSON.stringify({ dialect: 'sqlite', schema: SCHEMA, out: './drizzle' })};\n`,
  );
  const run = spawnSync(process.execPath, [DRIZZLE_KIT, ...args, '--config=drizzle.config.mjs'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${run.stdout}\n${run.stderr}`;
}

/** Tables with their columns and indexes, and whether each table is WITHOUT ROWID, as SQLite reports them. */
function describeSchema(db: Database.Database) {
  const tables = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as { name: string; sql: string }[];
  return Object.fromEntries(
    tables.map(({ name, sql }) => {
      const indexes = (
        db.prepare(`SELECT * FROM pragma_index_list('${name}') ORDER BY name`).all() as {
          name: string;
          unique: number;
          origin: string;
          partial: number;
        }[]
      )
        // The primary key's own index exists only in a rowid table; WITHOUT ROWID is compared on its own.
        .filter((index) => index.origin !== 'pk')
        .map((index) => ({
          name: index.name,
          unique: index.unique,
          columns: (
            db.prepare(`SELECT name FROM pragma_index_info('${index.name}') ORDER BY seqno`).all() as {
              name: string;
            }[]
          ).map((column) => column.name),
          where: (
            db
              .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
              .pluck()
              .get(index.name) as string | null
          )
            ?.replace(/^[\s\S]*?\sWHERE\s/i, '')
            .trim(),
        }));
      return [
        name,
        {
          columns: db
            .prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('${name}')`)
            .all(),
          indexes,
          withoutRowid: /WITHOUT\s+ROWID\s*$/i.test(sql.trim()),
        },
      ];
    }),
  );
}

describe('drizzle migrations', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('match schema.ts: drizzle-kit generate finds nothing to migrate and check finds nothing wrong', () => {
    cpSync(join(PACKAGE, 'drizzle'), join(temp.dir, 'drizzle'), { recursive: true });
    const before = readdirSync(join(temp.dir, 'drizzle')).sort();
    const journal = readFileSync(join(temp.dir, 'drizzle', 'meta', '_journal.json'), 'utf8');

    const generated = drizzleKit(temp.dir, 'generate');
    expect(generated).toMatch(/No schema changes, nothing to migrate/);
    expect(readdirSync(join(temp.dir, 'drizzle')).sort()).toEqual(before);
    expect(readFileSync(join(temp.dir, 'drizzle', 'meta', '_journal.json'), 'utf8')).toBe(journal);

    expect(drizzleKit(temp.dir, 'check')).toMatch(/Everything's fine/);
  }, 60_000);

  it('build the same tables, columns and indexes as SQL generated afresh from schema.ts (but the log WITHOUT ROWID)', () => {
    const generated = drizzleKit(temp.dir, 'generate', '--name=fresh');
    const file = readdirSync(join(temp.dir, 'drizzle')).find((name) => name.endsWith('.sql'));
    expect(file, generated).toBeDefined();
    const fresh = new Database(':memory:');
    for (const statement of readFileSync(join(temp.dir, 'drizzle', file!), 'utf8').split(
      '--> statement-breakpoint',
    )) {
      if (statement.trim().length > 0) fresh.exec(statement);
    }
    const committed = new Database(':memory:');
    migrate(committed);

    const expected = describeSchema(fresh);
    const actual = describeSchema(committed);
    // Documented in 0001_storage-tuning.sql: the log is keyed by (rk, seq) and stored WITHOUT ROWID.
    expect(actual.lifecycle?.withoutRowid).toBe(true);
    expect(expected.lifecycle?.withoutRowid).toBe(false);
    actual.lifecycle!.withoutRowid = false;
    expect(actual).toEqual(expected);
    fresh.close();
    committed.close();
  }, 60_000);
});
