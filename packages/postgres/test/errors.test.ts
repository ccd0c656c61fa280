import { createServer } from 'node:net';
import { isHublineError, type Logger } from '@hubline/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import { VERSION_TABLE } from '../src/storage/migrate.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const PASSWORD = 's3cr3t-P@ss';

/** A logger that keeps every line, to show that none holds the password. */
function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

/** What `open` rejects with. */
async function failureOf(open: () => Promise<unknown>): Promise<Error> {
  try {
    await open();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('errors', () => {
  const schemas = new TestSchemas('errors');
  afterAll(() => schemas.dropAll());

  it('says which server it could not reach, with the driver error as cause and never the password', async () => {
    const logger = recordingLogger();
    const url = `postgres://app:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await closedPort()}/crm`;
    const error = await failureOf(() => openPostgresOutbox({ connectionString: url, logger }));
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect(error.message).toMatch(/postgres:\/\/app@127\.0\.0\.1:\d+\/crm, schema "hubline"/);
    expect(error.message).toMatch(/nothing accepts connections there/);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    for (const text of [error.message, ...logger.lines]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('names a database that does not exist, keeping the password out', async () => {
    const logger = recordingLogger();
    const url = new URL(pgUrl());
    url.password = PASSWORD;
    url.pathname = '/no_such_database';
    const error = await failureOf(() => openPostgresOutbox({ connectionString: url.href, logger }));
    expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
    expect(error.message).toMatch(/the database does not exist/);
    expect((error.cause as { code?: string }).code).toBe('3D000');
    for (const text of [error.message, ...logger.lines]) expect(text).not.toContain(PASSWORD);
  });

  it('refuses unusable options naming each, without quoting a connection string', async () => {
    const error = await failureOf(() =>
      openPostgresOutbox({
        connectionString: `mysql://root:${PASSWORD}@db/crm`,
        schema: 'drop table; --',
        poolSize: 0,
        maxEntries: -1,
        capacityPolicy: 'drop-newest' as never,
        clock: 'now' as never,
      }),
    );
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    for (const field of ['connectionString', 'schema', 'poolSize', 'maxEntries', 'capacityPolicy', 'clock']) {
      expect(error.message).toContain(field);
    }
    expect(error.message).not.toContain(PASSWORD);
    const neither = await failureOf(() => openPostgresOutbox({}));
    expect(neither.message).toMatch(/connectionString: give exactly one of connectionString and pool/);
  });

  it('refuses a schema a newer version migrated, and a closed store', async () => {
    const schema = schemas.fresh();
    const store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 1 });
    await store.close();
    await store.close();
    for (const call of [
      () => store.record({ eventTemplateId: '1', email: 'a@example.com' }),
      () => store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' }),
      () => store.stats(),
      () => store.budgets.pausedFor('a'),
    ]) {
      expect(isHublineError(await failureOf(call), 'OUTBOX_CLOSED')).toBe(true);
    }
    const client = new pg.Client(pgUrl());
    await client.connect();
    await client.query(`UPDATE "${schema}".${VERSION_TABLE} SET version = 99`);
    await client.end();
    const error = await failureOf(() => openPostgresOutbox({ connectionString: pgUrl(), schema }));
    expect(isHublineError(error, 'SCHEMA_TOO_NEW')).toBe(true);
    expect(error.message).toMatch(/version 99, newer than the \d+ this version of @hubline\/postgres knows/);
  });

  it('turns a failure mid-use into STORAGE_FAILED naming the call', async () => {
    const schema = schemas.fresh();
    const store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 1 });
    try {
      const client = new pg.Client(pgUrl());
      await client.connect();
      await client.query(`DROP TABLE "${schema}".counters`);
      await client.end();
      const error = await failureOf(() => store.stats());
      expect(isHublineError(error, 'STORAGE_FAILED')).toBe(true);
      expect(error.message).toMatch(/^PostgreSQL outbox stats failed on .*: a table of the store is missing/);
      expect((error.cause as { code?: string }).code).toBe('42P01');
    } finally {
      await store.close();
    }
  });
});
