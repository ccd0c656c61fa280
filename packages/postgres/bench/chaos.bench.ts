/**
 * Exactly once across a fleet that keeps dying: 4 engine processes drain one PostgreSQL outbox to the emulator
 * under seeded faults (5xx, resets before and after the events are stored, answers slower than the timeout, 423s,
 * 429 bursts) while this process records events and SIGKILLs a random worker at random moments, `KILLS` times,
 * restarting it at once (half the time under its old owner name, which takes its leases over, half under a new
 * one, whose predecessor's leases come back when its session ends). Then the faults stop, the fleet drains, and
 * every recorded id is checked against the emulator's store and the outbox.
 *
 * Pacing: when the store keeps a shared request window (its budgets `take`/`use`/`giveBack` slots), every engine
 * is given the emulator's whole limit and the window keeps the fleet under it together, a killed worker's requests
 * included. A store without one gets each engine a share small enough that a killed worker's requests still in
 * the window plus its replacement's stay under it. The header says which. Any 429 the emulator sends that is not
 * an injected fault is counted as the engines' own.
 *
 * Run: `pnpm bench postgres/bench/chaos` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/chaos.bench.ts`)
 * Environment: `BENCH_KILLS` (24), `BENCH_EVENTS` (3000), `BENCH_SEED` (from the clock, printed), `HUBLINE_PG_URL`.
 * Exits 1 when an id is lost or stored twice, the outbox disagrees, or the engines' pacing drew a 429.
 */
import { createSeededRandom } from '@hubline/core';
import { type RunningEmulator, startEmulator } from '@hubline/emulator';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { benchDatabase, benchSchema, dropSchema } from './support/bench-database.js';
import { type BenchChild, startChild } from './support/child.js';
import { visits } from './support/events.js';
import { fmt, verdict } from './support/figures.js';
import type { WorkerConfig } from './support/worker-child.js';

const KILLS = Number(process.env.BENCH_KILLS ?? 24);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const SEED = Number(process.env.BENCH_SEED ?? Date.now() % 1_000_000);
const WORKERS = 4;
const RATE = { requests: 100, windowMs: 2000 };
/** A share of {@link RATE} for each engine when nothing shares a window: 4 of them plus a restart each stay under it. */
const LOCAL_SHARE = { requests: 12, windowMs: RATE.windowMs };
const ENGINE_TUNING = {
  batchSize: 25,
  maxInFlight: 2,
  requestTimeoutMs: 400,
  leaseMs: 5000,
  pollIntervalMs: 200,
  backoff: { baseMs: 50, maxMs: 400 },
} as const;
const FAULTS = {
  seed: SEED,
  latencyMs: 5,
  jitterMs: 20,
  slowMs: 700,
  burstLength: 2,
  retryAfterSeconds: 1,
  rates: {
    'error-500': 0.03,
    'error-503': 0.03,
    'reset-before-store': 0.03,
    'reset-after-store': 0.03,
    slow: 0.02,
    'rate-limit-burst': 0.01,
    'locked-423': 0.01,
  },
} as const;

const random = createSeededRandom(SEED);
const between = (low: number, high: number): number => Math.floor(low + random() * (high - low));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The fleet: one slot per worker, each restarted at once after a kill. */
class Fleet {
  readonly #slots: BenchChild[] = [];
  readonly #owners: string[] = [];
  #restarts = 0;

  constructor(readonly config: Omit<WorkerConfig, 'owner'>) {}

  async start(): Promise<void> {
    for (let slot = 0; slot < WORKERS; slot++) {
      this.#owners[slot] = `worker-${slot}`;
      this.#slots[slot] = this.#launch(slot);
    }
    await Promise.all(this.#slots.map((child) => child.until((lines) => lines.includes('ready'))));
  }

  /**
   * Waits until the worker in `slot` is sending (or a moment has passed: with nothing due it never will), lets a
   * random fraction of a request pass, SIGKILLs it and starts another in its place at once, under its owner name
   * or a new one.
   */
  async killAndRestart(slot: number, sameOwner: boolean): Promise<void> {
    const child = this.#slots[slot]!;
    const sent = child.lines.filter((line) => line === 'sending').length;
    await Promise.race([
      child
        .until((lines) => lines.filter((line) => line === 'sending').length > sent, 20_000)
        .catch(() => undefined),
      sleep(between(2000, 5000)),
    ]);
    await sleep(between(0, 300));
    await child.kill();
    if (!sameOwner) this.#owners[slot] = `worker-${slot}-${++this.#restarts}`;
    this.#slots[slot] = this.#launch(slot);
  }

  /** Stops every worker with drain. */
  async stop(): Promise<void> {
    await Promise.all(this.#slots.map((child) => child.until((lines) => lines.includes('ready'))));
    for (const child of this.#slots) child.send('stop');
    await Promise.all(
      this.#slots.map((child) => child.until((lines) => lines.some((line) => line.startsWith('stopped')))),
    );
  }

  async kill(): Promise<void> {
    await Promise.all(this.#slots.map((child) => child.kill()));
  }

  #launch(slot: number): BenchChild {
    const child = startChild('worker-child.ts', {
      ...this.config,
      owner: this.#owners[slot]!,
    } satisfies WorkerConfig);
    void child
      .until((lines) => lines.includes('ready'))
      .then(
        () => child.send('go'),
        () => undefined,
      );
    return child;
  }
}

/** Records the events in small batches at random moments, until all are recorded. */
async function recordAll(outbox: PostgresOutbox, ids: string[]): Promise<void> {
  while (ids.length < EVENTS) {
    const count = Math.min(EVENTS - ids.length, between(20, 80));
    ids.push(...(await outbox.recordMany(visits(ids.length, count))));
    await sleep(between(20, 120));
  }
}

/** What the emulator and the outbox say about the recorded ids. */
async function verify(emulator: RunningEmulator, outbox: PostgresOutbox, ids: readonly string[]) {
  const copies = new Map<string, number>();
  for (const event of emulator.events()) copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
  const requests = emulator.requests();
  let notDelivered = 0;
  for (const id of ids) if ((await outbox.get(id))?.status !== 'delivered') notDelivered += 1;
  return {
    lost: ids.filter((id) => (copies.get(id) ?? 0) === 0).length,
    doubled: ids.filter((id) => (copies.get(id) ?? 0) > 1).length,
    strangers: [...copies.keys()].filter((id) => !ids.includes(id)).length,
    notDelivered,
    stats: await outbox.stats(),
    pacing429: requests.filter((request) => request.status === 429 && request.fault === undefined).length,
    fault429: requests.filter((request) => request.status === 429 && request.fault !== undefined).length,
    counters: emulator.counters(),
  };
}

await using database = await benchDatabase(false);
const schema = benchSchema('chaos');
const outbox = await openPostgresOutbox({ connectionString: database.url, schema, poolSize: 2 });
await using emulator = await startEmulator({
  limits: { rateLimit: RATE.requests, rateWindowMs: RATE.windowMs },
  faults: FAULTS,
});
const budgets: object = outbox.budgets;
const sharedWindow = ['take', 'use', 'giveBack'].every(
  (method) => typeof (budgets as Record<string, unknown>)[method] === 'function',
);
const rateLimit = sharedWindow ? RATE : LOCAL_SHARE;
console.log(
  `chaos: ${WORKERS} engine processes, ${KILLS} SIGKILLs, ${fmt(EVENTS)} events, seed ${SEED}, on a ${database.label}`,
);
console.log(
  sharedWindow
    ? `pacing: each engine ${RATE.requests} requests per ${RATE.windowMs} ms, the store's shared window keeping the fleet under the emulator's ${RATE.requests}`
    : `pacing: the store shares no request window; each engine ${LOCAL_SHARE.requests} requests per ${LOCAL_SHARE.windowMs} ms of the emulator's ${RATE.requests}`,
);
const fleet = new Fleet({
  url: database.url,
  schema,
  baseUrl: emulator.url,
  engine: { ...ENGINE_TUNING, rateLimit },
});
const started = performance.now();
const ids: string[] = [];
let kills = 0;
let sameOwner = 0;
try {
  await fleet.start();
  const recording = recordAll(outbox, ids);
  while (kills < KILLS) {
    const same = random() < 0.5;
    await fleet.killAndRestart(between(0, WORKERS), same);
    kills += 1;
    if (same) sameOwner += 1;
  }
  await recording;
  const chaosSeconds = (performance.now() - started) / 1000;
  emulator.setFaults({ rates: {} });
  const deadline = performance.now() + 180_000;
  for (;;) {
    const stats = await outbox.stats();
    if (stats.pending === 0 && stats.inFlight === 0) break;
    if (performance.now() > deadline) throw new Error(`the fleet did not drain: ${JSON.stringify(stats)}`);
    await sleep(100);
  }
  await fleet.stop();
  const result = await verify(emulator, outbox, ids);
  console.table([
    { figure: 'SIGKILLs (restarted under the same owner)', value: `${kills} (${sameOwner})` },
    { figure: 'ids recorded', value: fmt(ids.length) },
    { figure: 'stored by the emulator exactly once', value: fmt(ids.length - result.lost - result.doubled) },
    { figure: 'lost', value: verdict(String(result.lost), result.lost === 0) },
    { figure: 'stored twice', value: verdict(String(result.doubled), result.doubled === 0) },
    {
      figure: 'not delivered in the outbox',
      value: verdict(String(result.notDelivered), result.notDelivered === 0),
    },
    { figure: 'outbox stats', value: JSON.stringify({ ...result.stats, oldestPendingAgeMs: undefined }) },
    {
      figure: '429 from the engines’ own pacing',
      value: verdict(String(result.pacing429), result.pacing429 === 0),
    },
    { figure: '429 injected (burst faults)', value: String(result.fault429) },
    { figure: 'faults injected', value: String(result.counters.faultsInjected) },
    { figure: 're-sent ids recognised by the emulator', value: String(result.counters.duplicateIdsSeen) },
    { figure: 'requests', value: String(result.counters.requests) },
    {
      figure: 'seconds under chaos, then to drain',
      value: `${fmt(chaosSeconds, 1)}, ${fmt((performance.now() - started) / 1000 - chaosSeconds, 1)}`,
    },
  ]);
  const failed = result.lost + result.doubled + result.notDelivered + result.strangers + result.pacing429 > 0;
  if (failed) {
    console.error(`chaos: FAILED, replay with BENCH_SEED=${SEED}`);
    process.exitCode = 1;
  }
} finally {
  await fleet.kill();
  await outbox.close();
  await dropSchema(database.url, schema);
}
