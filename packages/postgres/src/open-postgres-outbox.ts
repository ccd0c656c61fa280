import pg from 'pg';
import type { PostgresOutboxOptions } from './options/postgres-outbox-options.js';
import { resolveOptions } from './options/resolve-options.js';
import { migrate } from './storage/migrate.js';
import { StoreContext } from './storage/store-context.js';
import { describeTarget } from './storage/target.js';
import { toStorageError } from './storage/to-storage-error.js';
import { PostgresStore } from './store/postgres-store.js';
import type { PostgresOutbox } from './types.js';

/**
 * Opens the outbox on PostgreSQL: checks the options, creates and migrates the schema when it needs it (once,
 * under an advisory lock, however many stores open at once), reads the clock and opens the store's session.
 *
 * @param options - where (`connectionString` or `pool`) and how
 * @returns the store; `close()` it (or `await using` it) when done
 * @throws `ValidationError` `VALIDATION_FAILED` naming each option that is not usable
 * @throws `StorageError` `STORAGE_FAILED` when the server cannot be reached or refuses (the message names
 *   the server and schema, never the password), `SCHEMA_TOO_NEW` when a newer version migrated the schema
 * @example
 * ```ts
 * import { openPostgresOutbox } from '@hubline/postgres';
 *
 * const outbox = await openPostgresOutbox({ connectionString: process.env.DATABASE_URL });
 * const id = await outbox.record({ eventTemplateId: '1001234', email: 'ana@example.com', tokens: { plan: 'pro' } });
 * ```
 */
export async function openPostgresOutbox(options: PostgresOutboxOptions): Promise<PostgresOutbox> {
  const resolved = resolveOptions(options);
  const { logger, schema } = resolved;
  const target = describeTarget(resolved.pool?.options ?? resolved.connectionString!, schema);
  const ownsPool = resolved.pool === undefined;
  const pool =
    resolved.pool ??
    new pg.Pool({ connectionString: resolved.connectionString, max: resolved.poolSize, keepAlive: true });
  if (ownsPool) {
    // An idle connection that breaks (a server restart) must not crash the process; the pool replaces it.
    pool.on('error', (error) => {
      logger.warn('a pooled connection of the outbox failed', {
        error: toStorageError(error, 'pool', target.description, target.secret).message,
      });
    });
  }
  const context = new StoreContext(pool, resolved, target);
  let store: PostgresStore | undefined;
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
    } finally {
      client.release();
    }
    store = new PostgresStore(context, ownsPool);
    await store.start();
    logger.debug('postgres outbox opened', { target: target.description });
    return store;
  } catch (error) {
    if (store !== undefined) await store.close().catch(() => undefined);
    else if (ownsPool) await pool.end().catch(() => undefined);
    throw context.failure(error, 'open');
  }
}
