/**
 * Three ways to keep the counts behind `stats()`, measured side by side: what they cost concurrent writers, and
 * what a `stats()` read costs as the table grows.
 *
 * - one hot row: every transaction adds its changes to a single row, holding its lock until commit;
 * - sharded rows (what the store does): a transaction adds to the row of its backend, `pg_backend_pid() % 16`;
 * - partial-index counts: no counter writes at all; `stats()` counts rows through a partial index per status.
 *
 * Each writer is its own connection running `BEGIN; UPDATE` one row of its own (a settle) `; counters; COMMIT`
 * for a while; the writers never touch the same item, so any waiting is on the counters. Then each design's
 * `stats()` query is timed at each table size (median of 25).
 *
 * Run: `pnpm bench counters` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/counters.bench.ts`)
 * Environment: `BENCH_WORKERS` (4), `BENCH_SECONDS` per design (3), `BENCH_ROWS` (`10000,100000,1000000`),
 * `HUBLINE_PG_URL` to measure a server of your own (the default is a throwaway cluster with fsync on).
 */
import pg from 'pg';
import { benchDatabase } from './support/bench-database.js';

const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROWS = (process.env.BENCH_ROWS ?? '10000,100000,1000000').split(',').map(Number);
const ITEMS_PER_WORKER = 1000;

type Design = 'hot row' | 'sharded' | 'partial-index counts';
const DESIGNS: readonly Design[] = ['hot row', 'sharded', 'partial-index counts'];

/** The counter statement each transaction of a design runs after its update, if any. */
const COUNTER_WRITE: Record<Design, string | undefined> = {
  'hot row': 'UPDATE bench.hot SET pending = pending - 1, delivered = delivered + 1 WHERE k = 1',
  sharded: `INSERT INTO bench.sharded AS c (shard, pending, delivered) VALUES (pg_backend_pid() % 16, -1, 1)
    ON CONFLICT (shard) DO UPDATE SET pending = c.pending + excluded.pending, delivered = c.delivered + excluded.delivered`,
  'partial-index counts': undefined,
};

/** Each design's `stats()`. */
const STATS: Record<Design, string> = {
  'hot row': 'SELECT pending, delivered FROM bench.hot WHERE k = 1',
  sharded: 'SELECT sum(pending) AS pending, sum(delivered) AS delivered FROM bench.sharded',
  'partial-index counts': `SELECT (SELECT count(*) FROM bench.items WHERE status = 'pending') AS pending,
    (SELECT count(*) FROM bench.items WHERE status = 'delivered') AS delivered`,
};

async function setUp(client: pg.Client, rows: number): Promise<void> {
  await client.query('DROP SCHEMA IF EXISTS bench CASCADE');
  await client.query('CREATE SCHEMA bench');
  await client.query('CREATE TABLE bench.items (id bigint PRIMARY KEY, status text NOT NULL)');
  await client.query("CREATE INDEX items_pending ON bench.items (id) WHERE status = 'pending'");
  await client.query("CREATE INDEX items_delivered ON bench.items (id) WHERE status = 'delivered'");
  await client.query(
    "INSERT INTO bench.items SELECT n, CASE WHEN n % 2 = 0 THEN 'delivered' ELSE 'pending' END FROM generate_series(1, $1) n",
    [rows],
  );
  await client.query('CREATE TABLE bench.hot (k int PRIMARY KEY, pending bigint, delivered bigint)');
  await client.query('INSERT INTO bench.hot VALUES (1, 0, 0)');
  await client.query(
    'CREATE TABLE bench.sharded (shard int PRIMARY KEY, pending bigint, delivered bigint) WITH (fillfactor = 50)',
  );
  await client.query('VACUUM ANALYZE bench.items');
}

/** Transactions per second of `WORKERS` writers under one design. */
async function writeRate(url: string, design: Design): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      const client = new pg.Client(url);
      await client.connect();
      return client;
    }),
  );
  const until = performance.now() + SECONDS * 1000;
  const counts = await Promise.all(
    clients.map(async (client, worker) => {
      let done = 0;
      while (performance.now() < until) {
        const id = worker * ITEMS_PER_WORKER + (done % ITEMS_PER_WORKER) + 1;
        await client.query('BEGIN');
        await client.query({
          name: 'settle',
          text: "UPDATE bench.items SET status = CASE WHEN status = 'pending' THEN 'delivered' ELSE 'pending' END WHERE id = $1",
          values: [id],
        });
        const counter = COUNTER_WRITE[design];
        if (counter !== undefined) await client.query({ name: `counter-${design}`, text: counter });
        await client.query('COMMIT');
        done += 1;
      }
      return done;
    }),
  );
  await Promise.all(clients.map((client) => client.end()));
  return counts.reduce((sum, count) => sum + count, 0) / SECONDS;
}

/** The median time of a design's `stats()`, ms. */
async function statsMs(client: pg.Client, design: Design): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < 25; run++) {
    const started = performance.now();
    await client.query(STATS[design]);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[12]!;
}

await using database = await benchDatabase();
const client = new pg.Client(database.url);
await client.connect();
console.log(`counters: ${WORKERS} writers, ${SECONDS} s per design, on a ${database.label}`);
await setUp(client, Math.max(WORKERS * ITEMS_PER_WORKER, ROWS[0]!));
console.log('\n| design | writer transactions/s |\n|---|---|');
for (const design of DESIGNS)
  console.log(`| ${design} | ${Math.round(await writeRate(database.url, design))} |`);
console.log(
  `\n| rows | ${DESIGNS.join(' stats ms | ')} stats ms |\n|---|${DESIGNS.map(() => '---|').join('')}`,
);
for (const rows of ROWS) {
  await setUp(client, rows);
  const cells: string[] = [];
  for (const design of DESIGNS) cells.push((await statsMs(client, design)).toFixed(2));
  console.log(`| ${rows} | ${cells.join(' | ')} |`);
}
await client.query('DROP SCHEMA bench CASCADE');
await client.end();
