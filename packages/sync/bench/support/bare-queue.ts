import Database from 'better-sqlite3';
import { visit } from './fixtures.js';

/** The bare pipeline's queue: one table, one index, no validation, no history. */
const BARE_QUEUE_SQL = [
  'CREATE TABLE q (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, body TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0)',
  'CREATE INDEX q_due ON q (status, seq)',
];

/**
 * Open a bare queue database with the pragmas the outbox uses for `normal` durability.
 *
 * @param path - database file
 */
export function openBareQueue(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Create a bare queue holding `count` events of the same shape the outbox benchmarks record.
 *
 * @param path - database file (created)
 * @param count - events to insert, in one transaction
 */
export function fillBareQueue(path: string, count: number): void {
  const db = openBareQueue(path);
  for (const sql of BARE_QUEUE_SQL) db.exec(sql);
  const insert = db.prepare('INSERT INTO q (id, body) VALUES (?, ?)');
  db.transaction(() => {
    for (let n = 0; n < count; n += 1) {
      const id = `bare-${n}`;
      insert.run(id, JSON.stringify({ ...visit(n), id, timestamp: new Date().toISOString() }));
    }
  })();
  db.close();
}
