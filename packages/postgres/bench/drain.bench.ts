/**
 * Draining a backlog of 100,000 events from PostgreSQL to the emulator: sync engines on `@hubline/postgres`, 1, 2
 * and 4 of them each in a process of its own (as a fleet runs them), next to a bare pipeline (`pg` claim in one
 * statement → `fetch` → `pg` update, one worker) sending the same kind of events to the same kind of emulator, in
 * the same run. The emulator runs in a process of its own, fresh for each drain, with no rate limit. The clock
 * runs from the moment every worker is ready to the moment the workers report every event delivered (settled and
 * committed; the bare worker when its claim comes back empty), and the store's count is checked afterwards.
 * Rounds alternate the pipelines, so load from anything else on the machine falls on each alike.
 *
 * Run: `pnpm bench postgres/bench/drain` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/drain.bench.ts`)
 * Environment: `BENCH_EVENTS` (100000), `BENCH_ROUNDS` (3), `BENCH_WORKERS` (`1,2,4`), `HUBLINE_PG_URL` to
 * measure a server of your own (the default is a throwaway cluster with fsync on). Goal: one engine ≥ 0.6× bare.
 * On a machine with fewer cores than workers + emulator + server, more workers cannot scale: the table says how
 * many cores this one has.
 */
import { availableParallelism } from 'node:os';
import { defaultAccessToken } from '@hubline/emulator';
import pg from 'pg';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import { fillBareQueue } from './support/bare-queue.js';
import { benchDatabase, benchSchema, dropSchema } from './support/bench-database.js';
import { bulkLoad } from './support/bulk-load.js';
import { type BenchChild, startChild } from './support/child.js';
import { fmt, median, verdict } from './support/figures.js';
import type { WorkerConfig } from './support/worker-child.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const BATCH = 100;
const GOAL = 0.6;
const ENGINE_TUNING = { batchSize: BATCH, maxInFlight: 1, rateLimit: false, pollIntervalMs: 200 } as const;

/** Runs `drain` against a fresh emulator process and checks it stored every event once. */
async function withEmulator(drain: (baseUrl: string) => Promise<number>): Promise<number> {
  const emulator = startChild('emulator-child.ts', {
    limits: { rateLimit: 1_000_000_000, maxBatchSize: BATCH },
  });
  try {
    await emulator.until((lines) => lines.length >= 1);
    const ms = await drain((JSON.parse(emulator.lines[0]!) as { url: string }).url);
    emulator.send('stop');
    await emulator.until((lines) => lines.length >= 2);
    const { stored } = JSON.parse(emulator.lines[1]!) as { stored: number };
    if (stored !== EVENTS) throw new Error(`the emulator stored ${stored} of ${EVENTS}`);
    return ms;
  } finally {
    await emulator.kill();
  }
}

/** The deliveries the engine workers have reported so far: the sum of each one's last `delivered <n>` line. */
function deliveredBy(children: readonly BenchChild[]): number {
  let sum = 0;
  for (const child of children) {
    const last = child.lines.findLast((line) => line.startsWith('delivered '));
    if (last !== undefined) sum += Number(last.slice('delivered '.length));
  }
  return sum;
}

/** Starts children, waits until each is ready, and tells them all to go at once; resolves with the start time. */
async function startTogether(children: readonly BenchChild[]): Promise<number> {
  await Promise.all(children.map((child) => child.until((lines) => lines.includes('ready'))));
  const started = performance.now();
  for (const child of children) child.send('go');
  return started;
}

/** Events per second of the bare pipeline. */
async function bare(url: string, round: number): Promise<number> {
  const schema = benchSchema(`drain_bare_${round}`);
  const client = new pg.Client(url);
  await client.connect();
  try {
    await fillBareQueue(client, schema, EVENTS);
    const ms = await withEmulator(async (baseUrl) => {
      const child = startChild('bare-worker-child.ts', {
        url,
        schema,
        baseUrl,
        batchSize: BATCH,
        accessToken: defaultAccessToken,
      });
      const started = await startTogether([child]);
      await child.until((lines) => lines.some((line) => line.startsWith('done')), 600_000);
      return performance.now() - started;
    });
    return (EVENTS / ms) * 1000;
  } finally {
    await client.end();
    await dropSchema(url, schema);
  }
}

/** Events per second of `workers` engine processes on one store. */
async function engines(url: string, round: number, workers: number): Promise<number> {
  const schema = benchSchema(`drain_${workers}_${round}`);
  const outbox = await openPostgresOutbox({ connectionString: url, schema, poolSize: 2 });
  const client = new pg.Client(url);
  await client.connect();
  try {
    await bulkLoad(outbox, client, schema, EVENTS);
    const ms = await withEmulator(async (baseUrl) => {
      const children = Array.from({ length: workers }, (_, n) =>
        startChild('worker-child.ts', {
          url,
          schema,
          baseUrl,
          owner: `worker-${n}`,
          engine: ENGINE_TUNING,
        } satisfies WorkerConfig),
      );
      try {
        const started = await startTogether(children);
        const deadline = started + 600_000;
        // The workers say what they delivered (after each settle has committed), so the clock stops without
        // adding queries of its own to the server the workers share.
        while (deliveredBy(children) < EVENTS) {
          if (performance.now() > deadline) throw new Error(`drain: ${JSON.stringify(await outbox.stats())}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const ms = performance.now() - started;
        for (const child of children) child.send('stop');
        await Promise.all(
          children.map((child) => child.until((lines) => lines.some((line) => line.startsWith('stopped')))),
        );
        const stats = await outbox.stats();
        if (stats.delivered !== EVENTS)
          throw new Error(`the store counts ${stats.delivered} of ${EVENTS} delivered`);
        return ms;
      } finally {
        await Promise.all(children.map((child) => child.kill()));
      }
    });
    return (EVENTS / ms) * 1000;
  } finally {
    await client.end();
    await outbox.close();
    await dropSchema(url, schema);
  }
}

await using database = await benchDatabase();
console.log(
  `drain: ${fmt(EVENTS)} events, ${BATCH} per request, ${ROUNDS} rounds, workers ${WORKERS.join('/')}, ${availableParallelism()} cores, on a ${database.label}`,
);
const rounds: { bare: number; engines: Map<number, number> }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const bareRate = await bare(database.url, round);
  const engineRates = new Map<number, number>();
  for (const workers of WORKERS) engineRates.set(workers, await engines(database.url, round, workers));
  rounds.push({ bare: bareRate, engines: engineRates });
  console.log(
    `  round ${round + 1}: bare ${fmt(bareRate)}/s, ${WORKERS.map((w) => `${w} worker${w === 1 ? '' : 's'} ${fmt(engineRates.get(w)!)}/s`).join(', ')}`,
  );
}
const row = (pipeline: string, pick: (r: (typeof rounds)[number]) => number) => ({
  pipeline,
  'events/s (median)': fmt(median(rounds.map(pick))),
  'vs bare (median of rounds)': `${fmt(median(rounds.map((r) => pick(r) / r.bare)), 2)}×`,
  'vs 1 worker': WORKERS.includes(1)
    ? `${fmt(median(rounds.map((r) => pick(r) / r.engines.get(1)!)), 2)}×`
    : '—',
});
console.table([
  row('bare (pg claim → fetch → pg update), 1 worker', (r) => r.bare),
  ...WORKERS.map((w) =>
    row(`@hubline/postgres + sync engine, ${w} process${w === 1 ? '' : 'es'}`, (r) => r.engines.get(w)!),
  ),
]);
if (WORKERS.includes(1)) {
  const ratio = median(rounds.map((r) => r.engines.get(1)! / r.bare));
  console.log(`one engine / bare: ${fmt(ratio, 2)}× — ${verdict(`≥ ${GOAL}×`, ratio >= GOAL)}`);
}
