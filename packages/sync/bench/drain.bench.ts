/**
 * Benchmark 1: drain a backlog to the emulator with no rate limit — the sync engine (validation, history, leases,
 * interpretation, streams) next to a bare pipeline (plain better-sqlite3 claim/update + fetch, same batch size)
 * sending the same events to the same kind of emulator, in the same run. The engine runs on its default
 * transport (node:http) and, in one more row, on the ky/fetch transport.
 * Each drain runs in a fresh process of its own, bundled and run by bare `node` (what an app ships), against a
 * fresh emulator process: neither pipeline inherits the other's heap, JIT state or the backlog's recording, and
 * the emulator's CPU is not the client's. The backlogs are written beforehand by this process.
 * Run: `pnpm bench drain` (BENCH_EVENTS=100000, BENCH_ROUNDS=5 by default). Prints a table; goal: engine ≥ 0.6×
 * bare.
 */
import { join } from 'node:path';
import { defaultAccessToken } from '@hubline/emulator';
import { fillBareQueue } from './support/bare-queue.js';
import type { DrainPipeline } from './support/drain-child.js';
import { fmt, prefillOutbox, tempDir } from './support/fixtures.js';
import { spawnJsonChild } from './support/processes.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EMULATOR = { limits: { rateLimit: 1_000_000_000, maxBatchSize: Math.max(100, BATCH) } };

async function withEmulator<T>(run: (url: string) => Promise<T>): Promise<T> {
  const emulator = await spawnJsonChild<{ url: string }>('emulator-child.ts', EMULATOR);
  try {
    return await run(emulator.value.url);
  } finally {
    await emulator.stop();
  }
}

/** Events per second of one drain in its own process. */
async function drain(file: string, argument: Record<string, unknown>): Promise<number> {
  const child = await spawnJsonChild<{ ms: number; delivered: number }>(file, argument, 'bundled');
  await child.stop();
  if (child.value.delivered !== EVENTS) {
    throw new Error(`${file} delivered ${child.value.delivered} of ${EVENTS}`);
  }
  return (EVENTS / child.value.ms) * 1000;
}

const temp = tempDir();
try {
  // Rounds alternate the pipelines, so load from anything else on the machine falls on each alike; the ratio
  // reported is the median of the per-round ratios.
  const rounds: { bare: number; one: number; two: number; ky: number }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const barePath = join(temp.dir, `bare-${round}.db`);
    fillBareQueue(barePath, EVENTS);
    const bare = await withEmulator((url) =>
      drain('bare-drain-child.ts', {
        path: barePath,
        url,
        batchSize: BATCH,
        accessToken: defaultAccessToken,
      }),
    );
    const engine = async (maxInFlight: number, pipeline: DrainPipeline = 'engine'): Promise<number> => {
      const path = join(temp.dir, `${pipeline}-${maxInFlight}-${round}.db`);
      prefillOutbox(path, EVENTS);
      return withEmulator((baseUrl) =>
        drain('drain-child.ts', {
          path,
          baseUrl,
          batchSize: BATCH,
          maxInFlight,
          accessToken: defaultAccessToken,
          pipeline,
        }),
      );
    };
    const one = await engine(1);
    const two = await engine(2);
    const ky = await engine(1, 'engine-ky');
    rounds.push({ bare, one, two, ky });
  }
  console.log(
    `\nDrain ${fmt(EVENTS)} events to the emulator, ${BATCH} per request, no rate limit (bare: 1 in flight), ${ROUNDS} rounds, each drain in a fresh process`,
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
    row('@hubline/sync engine on createKyTransport (fetch)', (r) => r.ky),
  ]);
  console.log('goal: engine / bare ≥ 0.60');
} finally {
  temp.dispose();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
