import type Database from 'better-sqlite3';
import type { OutboxOptions } from '../src/options/outbox-options.js';
import { openSqliteOutbox } from '../src/sqlite-outbox/open-sqlite-outbox.js';
import type { Outbox } from '../src/types.js';

/** The connection under each outbox opened here. */
const connections = new WeakMap<Outbox, Database.Database>();

/**
 * `openOutbox`, keeping the connection so that {@link databaseOf} can look at the file through it: for tests and
 * benchmarks that check pragmas, query plans or raw rows. Opens exactly as the package's `openOutbox` does.
 *
 * @param options - as for `openOutbox`
 */
export function openOutbox(options: OutboxOptions): Outbox {
  const { outbox, db } = openSqliteOutbox(options);
  connections.set(outbox, db);
  return outbox;
}

/**
 * The better-sqlite3 connection of an outbox opened by this module's {@link openOutbox}.
 *
 * @param outbox - an open outbox
 */
export function databaseOf(outbox: Outbox): Database.Database {
  const db = connections.get(outbox);
  if (db === undefined) throw new Error('not an outbox opened by test/inspect.ts');
  return db;
}
