/**
 * Recording throughput next to raw `pg` inserts of the same rows: one event at a time (a commit each), and
 * `recordMany` of 500 (one transaction) against one `INSERT … SELECT FROM unnest(…)` of 500 rows. The raw side
 * writes the same JSON into a copy of the store's `entries` table (`LIKE … INCLUDING ALL`: same columns, same
 * indexes), without validation, ids, counters or the `NOTIFY` (the store keeps each entry's `Recorded` event in
 * the entry's own row, so neither side writes a lifecycle row). Rounds alternate the two sides so that both see
 * the same machine load.
 *
 * Run: `pnpm bench postgres/bench/record` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/record.bench.ts`)
 * Environment: `BENCH_SCALE` (1: 2,000 single records and 40 batches of 500 each side), `HUBLINE_PG_URL` to
 * measure a server of your own (the default is a throwaway cluster with fsync on). Goal: ≥ 0.6× raw.
 */
import { createIdFactory, type TimelineEventInput } from '@hubline/core';
import { normalizeEventWithJson } from '@hubline/core/store';
import pg from 'pg';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import { benchDatabase, benchSchema, dropSchema } from './support/bench-database.js';
import { visit } from './support/events.js';
import { fmt, Pairs, time, verdict } from './support/figures.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));
const SINGLES = scaled(2000);
const BATCHES = scaled(40);
const ROUND = 50;
const GOAL = 0.6;

/** What the raw side stores for event `n`: the JSON the store would keep, with an id of its own. */
function rawRow(n: number, newId: () => string): { id: string; json: string } {
  const id = newId();
  const json = JSON.stringify({ ...visit(n), id, timestamp: new Date().toISOString() });
  return { id, json };
}

const COLUMNS =
  '(id, event, bytes, status, attempts, recorded_at, next_attempt_at, updated_at, version, due_at, backlog_at)';
const rawSchema = benchSchema('record_raw');
const SINGLE = `INSERT INTO "${rawSchema}".entries ${COLUMNS} VALUES ($1, $2, $3, 'pending', 0, $4, $4, $4, 1, $4, $4)`;
const MANY = `INSERT INTO "${rawSchema}".entries ${COLUMNS}
  SELECT id, event, bytes, 'pending', 0, $4, $4, $4, 1, $4, $4 FROM unnest($1::text[], $2::text[], $3::int[]) AS r(id, event, bytes)`;
/** For the breakdown: the same rows with a lifecycle row each, in one statement (what the store no longer writes). */
const MANY_WITH_LOG = `WITH e AS (${MANY} RETURNING rk, bytes)
  INSERT INTO "${rawSchema}".lifecycle (rk, seq, type, at, data) SELECT rk, 1, 'Recorded', $4, '{"bytes":' || bytes || '}' FROM e`;

await using database = await benchDatabase();
const schema = benchSchema('record');
const outbox = await openPostgresOutbox({ connectionString: database.url, schema, poolSize: 2 });
const raw = new pg.Pool({ connectionString: database.url, max: 2 });
const newId = createIdFactory();
const rows: Record<string, string>[] = [];

/** One raw insert, prepared by name as the store prepares its own. */
async function rawSingle(n: number): Promise<void> {
  const row = rawRow(n, newId);
  await raw.query({
    name: 'raw-single',
    text: SINGLE,
    values: [row.id, row.json, Buffer.byteLength(row.json), Date.now()],
  });
}

/** 500 raw rows in one statement (with their lifecycle rows when `withLog`). */
async function rawMany(from: number, withLog = false): Promise<void> {
  const batch = Array.from({ length: 500 }, (_, i) => rawRow(from + i, newId));
  await raw.query({
    name: withLog ? 'raw-many-log' : 'raw-many',
    text: withLog ? MANY_WITH_LOG : MANY,
    values: [
      batch.map((row) => row.id),
      batch.map((row) => row.json),
      batch.map((row) => Buffer.byteLength(row.json)),
      Date.now(),
    ],
  });
}

function report(scenario: string, items: number, pairs: Pairs): void {
  rows.push({
    scenario,
    '@hubline/postgres': `${fmt(pairs.storeRate(items))} /s`,
    'raw pg': `${fmt(pairs.baselineRate(items))} /s`,
    ratio: `${fmt(pairs.ratio, 2)}× (median round ${fmt(pairs.medianRatio, 2)}×)`,
    goal: verdict(`≥ ${GOAL}×`, pairs.ratio >= GOAL),
  });
}

try {
  const admin = new pg.Client(database.url);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${rawSchema}"`);
  await admin.query(`CREATE TABLE "${rawSchema}".entries (LIKE "${schema}".entries INCLUDING ALL)`);
  await admin.query(`CREATE TABLE "${rawSchema}".lifecycle (LIKE "${schema}".lifecycle INCLUDING ALL)`);
  await admin.end();
  console.log(
    `record: ${fmt(SINGLES)} one at a time, ${fmt(BATCHES)} batches of 500, on a ${database.label}`,
  );

  // Warm both sides (prepared statements, JIT) before measuring.
  for (let n = 0; n < 50; n++) {
    await outbox.record(visit(-n));
    await rawSingle(-n);
  }
  const singles = new Pairs();
  for (let from = 0; from < SINGLES; from += ROUND) {
    const to = Math.min(SINGLES, from + ROUND);
    const storeMs = await time(async () => {
      for (let n = from; n < to; n++) await outbox.record(visit(n));
    });
    const rawMs = await time(async () => {
      for (let n = from; n < to; n++) await rawSingle(n);
    });
    singles.add(storeMs, rawMs);
  }
  report(`record one at a time, ${fmt(SINGLES)}`, SINGLES, singles);

  const many = new Pairs();
  let validationMs = 0;
  let withLogMs = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    const inputs: TimelineEventInput[] = Array.from({ length: 500 }, (_, i) => visit(batch * 500 + i));
    many.add(await time(() => outbox.recordMany(inputs)), await time(() => rawMany(batch * 500)));
    // Where the difference goes: core's validation alone; and what a lifecycle row per event would add.
    validationMs += await time(async () => {
      for (const input of inputs) normalizeEventWithJson(input, { now: Date.now(), newId });
    });
    withLogMs += await time(() => rawMany(batch * 500, true));
  }
  report(`recordMany of 500, ${fmt(BATCHES * 500)}`, BATCHES * 500, many);
  console.table(rows);
  const perEvent = (ms: number): string => fmt((ms / (BATCHES * 500)) * 1000, 1);
  console.log(
    `recordMany per event: core's validation ${perEvent(validationMs)} µs; raw ${perEvent((BATCHES * 500 * 1000) / many.baselineRate(BATCHES * 500))} µs, raw with a lifecycle row each ${perEvent(withLogMs)} µs (the store writes none); the store ${perEvent((BATCHES * 500 * 1000) / many.storeRate(BATCHES * 500))} µs.`,
  );
} finally {
  await outbox.close();
  await raw.end();
  await dropSchema(database.url, schema);
  await dropSchema(database.url, rawSchema);
}
