import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, VERSION_TABLE } from '../src/storage/migrate.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = join(PACKAGE, 'src', 'schema', 'schema.ts');
const DRIZZLE_KIT = join(
  createRequire(import.meta.url)
    .resolve('drizzle-kit')
    .replace(/index\.(c|m)?js$/, ''),
  'bin.cjs',
);

/**
 * Runs the local drizzle-kit in `cwd` against `schema.ts`, with migrations in `cwd/drizzle`. drizzle-kit exits 0
 * even when it fails, so the caller checks its output and files. It never connects to a database for these.
 */
function drizzleKit(cwd: string, ...args: string[]): string {
  writeFileSync(
    join(cwd, 'drizzle.config.mjs'),
    `export default ${JSON.stringify({ dialect: 'postgresql', schema: SCHEMA, out: './drizzle' })};\n`,
  );
  const run = spawnSync(process.execPath, [DRIZZLE_KIT, ...args, '--config=drizzle.config.mjs'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${run.stdout}\n${run.stderr}`;
}

/** Tables with their columns, constraints and indexes, as PostgreSQL's catalog reports them, schema name left out. */
async function describeSchema(client: pg.Client, schema: string) {
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation
     FROM information_schema.columns WHERE table_schema = $1 AND table_name <> $2
     ORDER BY table_name, ordinal_position`,
    [schema, VERSION_TABLE],
  );
  const constraints = await client.query(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = $1 ORDER BY c.conname`,
    [schema],
  );
  const indexes = await client.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> $2
     ORDER BY indexname`,
    [schema, VERSION_TABLE],
  );
  const unqualified = (text: string) => text.split(`"${schema}".`).join('').split(`${schema}.`).join('');
  return {
    columns: columns.rows.map((row) => ({
      ...row,
      column_default: row.column_default && unqualified(row.column_default),
    })),
    constraints: constraints.rows.map((row) => ({ ...row, table_name: unqualified(row.table_name) })),
    indexes: indexes.rows.map((row) => ({ ...row, indexdef: unqualified(row.indexdef) })),
  };
}

describe('drizzle migrations', () => {
  const schemas = new TestSchemas('migrations');
  let temp: string;
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client(pgUrl());
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await schemas.dropAll();
  });
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'hubline-pg-migrations-'));
  });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  it('match the schema: drizzle-kit generate finds nothing to migrate and check finds nothing wrong', () => {
    cpSync(join(PACKAGE, 'drizzle'), join(temp, 'drizzle'), { recursive: true });
    const before = readdirSync(join(temp, 'drizzle')).sort();
    const journal = readFileSync(join(temp, 'drizzle', 'meta', '_journal.json'), 'utf8');

    expect(drizzleKit(temp, 'generate')).toMatch(/No schema changes, nothing to migrate/);
    expect(readdirSync(join(temp, 'drizzle')).sort()).toEqual(before);
    expect(readFileSync(join(temp, 'drizzle', 'meta', '_journal.json'), 'utf8')).toBe(journal);
    expect(drizzleKit(temp, 'check')).toMatch(/Everything's fine/);
  }, 60_000);

  it('build the same tables, columns, constraints and indexes as SQL generated afresh from the schema', async () => {
    const generated = drizzleKit(temp, 'generate', '--name=fresh');
    const file = readdirSync(join(temp, 'drizzle')).find((name) => name.endsWith('.sql'));
    expect(file, generated).toBeDefined();
    const fresh = schemas.fresh();
    await client.query(`CREATE SCHEMA "${fresh}"`);
    await client.query(`SET search_path TO "${fresh}"`);
    for (const statement of readFileSync(join(temp, 'drizzle', file!), 'utf8').split(
      '--> statement-breakpoint',
    )) {
      if (statement.trim().length > 0) await client.query(statement);
    }
    await client.query('RESET search_path');
    const committed = schemas.fresh();
    await migrate(client, committed);

    expect(await describeSchema(client, committed)).toEqual(await describeSchema(client, fresh));
    // The hand-written migration seeds the clock's one row.
    expect((await client.query(`SELECT k, high_water FROM "${committed}".clock`)).rows).toEqual([
      { k: 1, high_water: '0' },
    ]);
  }, 60_000);

  it('migrate a schema once however many stores open it at once, and leave an up-to-date one alone', async () => {
    const schema = schemas.fresh();
    const clients = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const other = new pg.Client(pgUrl());
        await other.connect();
        return other;
      }),
    );
    try {
      await Promise.all(clients.map((other) => migrate(other, schema)));
      await migrate(clients[0]!, schema);
      const version = await client.query(`SELECT version FROM "${schema}".${VERSION_TABLE}`);
      expect(version.rows).toEqual([
        { version: readdirSync(join(PACKAGE, 'drizzle')).filter((name) => name.endsWith('.sql')).length },
      ]);
    } finally {
      await Promise.all(clients.map((other) => other.end()));
    }
  });
});
