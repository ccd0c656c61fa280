/**
 * Benchmark 1: drain a backlog to the emulator with no rate limit — the sync engine (validation, history, leases,
 * interpretation, streams) next to a bare pipeline (plain better-sqlite3 claim/update + fetch, same batch size)
 * sending the same events to the same kind of emulator, in the same run.
 * Run: `pnpm bench drain` (BENCH_EVENTS=100000, BENCH_ROUNDS=3 by default). Prints a table; goal: engine ≥ 0.6×
 * bare.
 */
import { join } from 'node:path';
import { defaultAccessToken } from '@hubline/emulator';
import { openOutbox } from '@hubline/outbox';
import Database from 'better-sqlite3';
import { createSyncEngine } from '../src/engine/create-sync-engine.js';
import { fmt, prefillOutbox, tempDir, visit } from './support/fixtures.js';
import { spawnJsonChild } from './support/processes.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PATH = '/integrators/timeline/v3/events/batch/create';
const EMULATOR = { limits: { rateLimit: 1_000_000_000, maxBatchSize: Math.max(100, BATCH) } };

async function withEmulator<T>(run: (url: string) => Promise<T>): Promise<T> {
  const emulator = await spawnJsonChild<{ url: string }>('emulator-child.ts', EMULATOR);
  try {
    return await run(emulator.value.url);
  } finally {
    await emulator.stop();
  }
}

/** The bare pipeline: a queue table, a claim transaction, one fetch, a done transaction. No validation, no history. */
async function bare(url: string, dir: string, round: number): Promise<number> {
  const db = new Database(join(dir, `bare-${round}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE q (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, body TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0)',
  );
  db.exec('CREATE INDEX q_due ON q (status, seq)');
  const insert = db.prepare('INSERT INTO q (id, body) VALUES (?, ?)');
  db.transaction(() => {
    for (let n = 0; n < EVENTS; n += 1) {
      const id = `bare-${n}`;
      insert.run(id, JSON.stringify({ ...visit(n), id, timestamp: new Date().toISOString() }));
    }
  })();
  const select = db.prepare(
    'SELECT seq, body FROM q WHERE status = 0 AND lease_until <= ? ORDER BY seq LIMIT ?',
  );
  const lease = db.prepare('UPDATE q SET lease_until = ? WHERE seq = ?');
  const done = db.prepare('UPDATE q SET status = 1 WHERE seq = ?');
  const claim = db.transaction((now: number) => {
    const rows = select.all(now, BATCH) as { seq: number; body: string }[];
    for (const row of rows) lease.run(now + 60_000, row.seq);
    return rows;
  });
  const settle = db.transaction((rows: { seq: number }[]) => {
    for (const row of rows) done.run(row.seq);
  });
  const started = performance.now();
  for (;;) {
    const rows = claim(Date.now());
    if (rows.length === 0) break;
    const response = await fetch(`${url}${PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${defaultAccessToken}`, 'content-type': 'application/json' },
      body: `{"inputs":[${rows.map((row) => row.body).join(',')}]}`,
    });
    await response.text();
    if (response.status !== 201) throw new Error(`bare pipeline got HTTP ${response.status}`);
    settle(rows);
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

async function engine(
  url: string,
  dir: string,
  maxInFlight: number,
  round: number,
): Promise<{ ms: number; recordMs: number }> {
  const path = join(dir, `engine-${maxInFlight}-${round}.db`);
  const { ms: recordMs } = prefillOutbox(path, EVENTS);
  const outbox = openOutbox({ path });
  const sync = createSyncEngine({
    outbox,
    accessToken: defaultAccessToken,
    baseUrl: url,
    batchSize: BATCH,
    maxInFlight,
    rateLimit: false,
  });
  const started = performance.now();
  sync.start();
  const report = await sync.flush();
  const ms = performance.now() - started;
  await sync.stop();
  if (report.delivered !== EVENTS) throw new Error(`engine delivered ${report.delivered} of ${EVENTS}`);
  outbox.close();
  return { ms, recordMs };
}

const temp = tempDir();
try {
  // Rounds alternate the pipelines, so load from anything else on the machine falls on each alike; the ratio
  // reported is the median of the per-round ratios.
  const rounds: { bare: number; one: number; two: number }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const bareMs = await withEmulator((url) => bare(url, temp.dir, round));
    const run = await withEmulator((url) => engine(url, temp.dir, 1, round));
    const run2 = await withEmulator((url) => engine(url, temp.dir, 2, round));
    rounds.push({ bare: rate(bareMs), one: rate(run.ms), two: rate(run2.ms) });
  }
  console.log(
    `\nDrain ${fmt(EVENTS)} events to the emulator, ${BATCH} per request, no rate limit (bare: 1 in flight), ${ROUNDS} rounds`,
  );
  const row = (pipeline: string, pick: (r: (typeof rounds)[number]) => number) => ({
    pipeline,
    'events/s (median)': fmt(median(rounds.map(pick))),
    'events/s per round': rounds.map((r) => fmt(pick(r))).join(' / '),
    'vs bare (median of rounds)': fmt(median(rounds.map((r) => pick(r) / r.bare)), 2),
  });
  console.table([
    row('bare (better-sqlite3 + fetch)', (r) => r.bare),
    row('@hubline/sync engine', (r) => r.one),
    row('@hubline/sync engine, maxInFlight 2', (r) => r.two),
  ]);
  console.log('goal: engine / bare ≥ 0.60');
} finally {
  temp.dispose();
}

function rate(ms: number): number {
  return (EVENTS / ms) * 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
