/**
 * Whether claims and `stats()` stay flat as the outbox grows: at each size (10⁴, 10⁵, 10⁶ pending entries by
 * default) a schema of its own is filled by a bulk load (`support/bulk-load.ts`: a thousand records through the store,
 * the rest copied by `INSERT … SELECT generate_series`, then `VACUUM ANALYZE`), and then timed: `stats()`,
 * `nextDueIn()`, and a claim of 100 followed by its settle as delivered (an engine's round trip to the store
 * without the HTTP), each over many repetitions. Every size is loaded (and a `CHECKPOINT` taken) before any is
 * timed, and the repetitions go round the sizes.
 *
 * Run: `pnpm bench postgres/bench/scale` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/scale.bench.ts`)
 * Environment: `BENCH_ROWS` (`10000,100000,1000000`), `BENCH_REPEATS` (100), `HUBLINE_PG_URL` to measure a
 * server of your own (the default is a throwaway cluster with fsync on). Goal: the largest size's medians within
 * 2× of the smallest's.
 */
import pg from 'pg';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { benchDatabase, benchSchema, dropSchema } from './support/bench-database.js';
import { bulkLoad } from './support/bulk-load.js';
import { fmt, median, time, verdict } from './support/figures.js';

const SIZES = (process.env.BENCH_ROWS ?? '10000,100000,1000000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 100);
const CLAIM = 100;

/** Medians (and the 95th percentile) of one size, ms. */
interface SizeFigures {
  readonly size: number;
  readonly loadSeconds: number;
  readonly stats: number[];
  readonly nextDueIn: number[];
  readonly claimSettle: number[];
}

const p95 = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Number.NaN;
const show = (values: readonly number[]): string =>
  `${fmt(median(values), 2)} ms (p95 ${fmt(p95(values), 2)})`;

/** One size's store, loaded, and the figures gathered so far. */
interface Loaded {
  readonly figures: SizeFigures;
  readonly schema: string;
  readonly outbox: PostgresOutbox;
}

async function load(url: string, size: number): Promise<Loaded> {
  const schema = benchSchema(`scale_${size}`);
  const outbox = await openPostgresOutbox({ connectionString: url, schema, poolSize: 2 });
  const client = new pg.Client(url);
  await client.connect();
  try {
    const loadMs = await time(() => bulkLoad(outbox, client, schema, size));
    console.log(`  ${fmt(size)} entries loaded in ${fmt(loadMs / 1000, 1)} s`);
    return {
      schema,
      outbox,
      figures: { size, loadSeconds: loadMs / 1000, stats: [], nextDueIn: [], claimSettle: [] },
    };
  } finally {
    await client.end();
  }
}

/** One repetition on one size: `stats()`, `nextDueIn()`, a claim of {@link CLAIM} and its settle. */
async function measureOnce({ outbox, figures }: Loaded): Promise<void> {
  figures.stats.push(await time(() => outbox.stats()));
  figures.nextDueIn.push(await time(() => outbox.nextDueIn()));
  figures.claimSettle.push(
    await time(async () => {
      const batch = await outbox.claim({ limit: CLAIM, leaseMs: 60_000, owner: 'bench' });
      await outbox.settle(
        'bench',
        batch.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
      );
    }),
  );
}

/** Writes the loads' dirty pages out now, so the checkpoint they cause does not land inside the measurements. */
async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch {
    // A server of your own may not let this role checkpoint: measure anyway.
  } finally {
    await client.end();
  }
}

await using database = await benchDatabase();
console.log(
  `scale: sizes ${SIZES.map((size) => fmt(size)).join(', ')}, ${REPEATS} repeats, on a ${database.label}`,
);
const loaded: Loaded[] = [];
try {
  for (const size of SIZES) loaded.push(await load(database.url, size));
  await checkpoint(database.url);
  // Repetitions go round the sizes, so that load from anything else on the machine falls on each alike.
  for (let n = 0; n < REPEATS; n++) for (const one of loaded) await measureOnce(one);
} finally {
  for (const one of loaded) {
    await one.outbox.close();
    await dropSchema(database.url, one.schema);
  }
}
const figures = loaded.map((one) => one.figures);
console.table(
  figures.map((f) => ({
    'pending entries': fmt(f.size),
    'stats()': show(f.stats),
    'nextDueIn()': show(f.nextDueIn),
    [`claim ${CLAIM} + settle`]: show(f.claimSettle),
  })),
);
const first = figures[0];
const last = figures.at(-1);
if (first !== undefined && last !== undefined && last !== first) {
  const growth = (pick: (f: SizeFigures) => readonly number[]): number =>
    median(pick(last)) / median(pick(first));
  for (const [name, pick] of [
    ['stats()', (f: SizeFigures) => f.stats],
    ['nextDueIn()', (f: SizeFigures) => f.nextDueIn],
    [`claim ${CLAIM} + settle`, (f: SizeFigures) => f.claimSettle],
  ] as const) {
    const ratio = growth(pick);
    console.log(
      `${name}: ${fmt(last.size)} vs ${fmt(first.size)} entries ${fmt(ratio, 2)}× — ${verdict('flat (≤ 2×)', ratio <= 2)}`,
    );
  }
}
