/**
 * Whether claims and `stats()` stay flat as the outbox grows: at each size (10⁴, 10⁵, 10⁶ pending entries by
 * default) a fresh schema is filled by a bulk load (`support/bulk-load.ts`: a thousand records through the store,
 * the rest copied by `INSERT … SELECT generate_series`, then `VACUUM ANALYZE`), and then timed: `stats()`,
 * `nextDueIn()`, and a claim of 100 followed by its settle as delivered (an engine's round trip to the store
 * without the HTTP), each over many repetitions.
 *
 * Run: `pnpm bench postgres/bench/scale` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/scale.bench.ts`)
 * Environment: `BENCH_ROWS` (`10000,100000,1000000`), `BENCH_REPEATS` (100), `HUBLINE_PG_URL` to measure a
 * server of your own (the default is a throwaway cluster with fsync on). Goal: the largest size's medians within
 * 2× of the smallest's.
 */
import pg from 'pg';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
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
  readonly stats: readonly number[];
  readonly nextDueIn: readonly number[];
  readonly claimSettle: readonly number[];
}

const p95 = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Number.NaN;
const show = (values: readonly number[]): string =>
  `${fmt(median(values), 2)} ms (p95 ${fmt(p95(values), 2)})`;

async function measure(url: string, size: number): Promise<SizeFigures> {
  const schema = benchSchema(`scale_${size}`);
  const outbox = await openPostgresOutbox({ connectionString: url, schema, poolSize: 2 });
  const client = new pg.Client(url);
  await client.connect();
  try {
    const loadMs = await time(() => bulkLoad(outbox, client, schema, size));
    const stats: number[] = [];
    const nextDueIn: number[] = [];
    const claimSettle: number[] = [];
    for (let n = 0; n < REPEATS; n++) {
      stats.push(await time(() => outbox.stats()));
      nextDueIn.push(await time(() => outbox.nextDueIn()));
      claimSettle.push(
        await time(async () => {
          const batch = await outbox.claim({ limit: CLAIM, leaseMs: 60_000, owner: 'bench' });
          await outbox.settle(
            'bench',
            batch.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
          );
        }),
      );
    }
    return { size, loadSeconds: loadMs / 1000, stats, nextDueIn, claimSettle };
  } finally {
    await client.end();
    await outbox.close();
    await dropSchema(url, schema);
  }
}

await using database = await benchDatabase();
console.log(
  `scale: sizes ${SIZES.map((size) => fmt(size)).join(', ')}, ${REPEATS} repeats, on a ${database.label}`,
);
const figures: SizeFigures[] = [];
for (const size of SIZES) {
  const measured = await measure(database.url, size);
  console.log(`  ${fmt(size)} entries loaded in ${fmt(measured.loadSeconds, 1)} s`);
  figures.push(measured);
}
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
