import type pg from 'pg';
import type { PostgresOutbox } from '../../src/types.js';
import { visits } from './events.js';

/** Entries recorded through the store, which the bulk load copies. */
const TEMPLATES = 1000;

/** Rows copied per statement: one transaction each, so a load of a million never holds one huge transaction. */
const CHUNK = 100_000;

/**
 * Fills a fresh store's schema with `count` pending entries in seconds rather than minutes: the first
 * {@link TEMPLATES} are recorded through the store (so every column is as the store writes it), the rest copied
 * from them by `INSERT … SELECT … generate_series` with ids of their own (`<template id>-<n>`, inside the event
 * JSON too), each with its `Recorded` event in its row as the store keeps it, and the counters raised to match. Ends with
 * `VACUUM ANALYZE`, as autovacuum would after a load. Columns are read from the catalog, so a column the store
 * adds later is copied too.
 *
 * @param outbox - the store, open on `schema`, holding nothing yet
 * @param client - a connection to the same database
 * @param schema - the store's schema
 * @param count - entries wanted in all
 */
export async function bulkLoad(
  outbox: PostgresOutbox,
  client: pg.ClientBase,
  schema: string,
  count: number,
): Promise<void> {
  const templates = Math.min(TEMPLATES, count);
  await outbox.recordMany(visits(0, templates));
  const s = `"${schema}"`;
  const { rows: range } = await client.query<{ low: string; high: string }>(
    `SELECT min(rk) AS low, max(rk) AS high FROM ${s}.entries`,
  );
  const low = Number(range[0]!.low);
  const high = Number(range[0]!.high);
  const { rows: columns } = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = 'entries' AND is_generated = 'NEVER' AND identity_generation IS NULL
      ORDER BY ordinal_position`,
    [schema],
  );
  const newId = "t.id || '-' || g";
  const expression = (name: string): string => {
    if (name === 'id') return newId;
    if (name === 'event') return `replace(t.event, t.id, ${newId})`;
    // The copy's `Recorded` event stays in its row, as the store keeps it: its bytes are the copy's.
    if (name === 'bytes' || name === 'recorded_bytes')
      return `octet_length(replace(t.event, t.id, ${newId}))`;
    return `t."${name}"`;
  };
  const names = columns.map((column) => `"${column.name}"`).join(', ');
  const values = columns.map((column) => expression(column.name)).join(', ');
  for (let from = templates; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK) - 1;
    await client.query('BEGIN');
    const { rows } = await client.query<{ rk: string }>(
      `SELECT coalesce(max(rk), 0) AS rk FROM ${s}.entries`,
    );
    const before = Number(rows[0]!.rk);
    await client.query(
      `INSERT INTO ${s}.entries (${names})
       SELECT ${values} FROM generate_series($1::bigint, $2::bigint) AS g
       JOIN ${s}.entries AS t ON t.rk = $3 + (g % $4)`,
      [from, to, low, high - low + 1],
    );
    await client.query(
      `UPDATE ${s}.counters AS c SET pending = c.pending + n.pending, backlog_bytes = c.backlog_bytes + n.bytes
       FROM (SELECT count(*) AS pending, sum(bytes) AS bytes FROM ${s}.entries WHERE rk > $1) AS n
       WHERE (c.account, c.shard) = (SELECT account, shard FROM ${s}.counters ORDER BY account, shard LIMIT 1)`,
      [before],
    );
    await client.query('COMMIT');
  }
  await client.query(`VACUUM ANALYZE ${s}.entries`);
  await client.query(`VACUUM ANALYZE ${s}.lifecycle`);
  const stats = await outbox.stats();
  if (stats.pending !== count) throw new Error(`bulk load: ${stats.pending} pending, ${count} wanted`);
}
