/**
 * Benchmark: many HubSpot accounts and one fleet-wide rate budget (issue 14), side by side in one run, against the
 * emulator in its own process on localhost, each account limited to 100 requests per rolling 10 s.
 * An account's ceiling is a full window of requests of a full batch each, per window, sustained.
 * 1. Many accounts: one engine drains 50 accounts from one outbox file; aggregate events/s against the sum of the
 *    accounts' ceilings, and 429s (goal ≥ 0.9, 0).
 * 2. Fairness: beside one account HubSpot throttles and one it refuses (uninstalled), what share of its ceiling every
 *    other account keeps (goal ≥ 0.95); and how long 10 events of one account wait behind 10,000 of another.
 * 3. Shared file: 2 and 4 processes drain one outbox file for one account, sharing its budget through the file's
 *    budget slots (goal 0 × 429, ≥ 0.9 of the ceiling).
 * 4. Fleet: 4 processes with separate outboxes on one account, paced by HubSpot's X-HubSpot-RateLimit headers
 *    (goal ≤ 1 % of requests answered 429, ≥ 0.8 of the ceiling).
 * 5. SIGKILL: processes draining 5 accounts from one file are killed and replaced; every id is stored once, in
 *    its own account.
 * Run: `pnpm bench accounts`. BENCH_ACCOUNTS (default 50) and BENCH_WINDOW_MS (default 10000) scale it; it takes
 * about three minutes on an idle machine, and each scenario is cut short after BENCH_SCENARIO_LIMIT_MS (default
 * 180000) whatever the load. BENCH_ONLY (a comma-separated list of many, fairness, backlog, shared, fleet, sigkill)
 * runs only those scenarios, e.g. `BENCH_ONLY=fleet pnpm bench accounts`.
 */
import { join } from 'node:path';
import { v3Dialect } from '@hubline/core';
import { openOutbox } from '@hubline/outbox';
import { createSyncEngine } from '../src/engine/create-sync-engine.js';
import type { AccountsChildResult } from './accounts-drain-child.js';
import {
  type BenchEmulator,
  type DrainChild,
  idealMs,
  prefillAccounts,
  startBenchEmulator,
  startDrainChild,
} from './accounts-support.js';
import { fmt, tempDir } from './support/fixtures.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const LIMIT = 100;
const RATE_LIMIT = { requests: LIMIT, windowMs: WINDOW_MS };
/** One account's ceiling, sustained: a full window of requests of `batch` events each per window, events/s. */
const ceilingOf = (batch: number): number => (LIMIT * batch * 1000) / WINDOW_MS;
/** Emulator account ids are HubSpot portal ids: digits. */
const accountIds = (count: number, from = 10_001): string[] =>
  Array.from({ length: count }, (_, n) => String(from + n));
const tokensOf = (accounts: readonly string[]): Record<string, string> =>
  Object.fromEntries(accounts.map((account) => [account, `tok-${account}`]));
const emulatorAccounts = (accounts: readonly string[]) =>
  accounts.map((id) => ({
    id,
    tokens: [{ token: `tok-${id}` }],
    limits: { rateLimit: LIMIT, rateWindowMs: WINDOW_MS },
  }));

/** One line of the results table. */
interface Figure {
  readonly scenario: string;
  readonly figure: string;
  readonly goal: string;
  readonly met: boolean;
  readonly '429s': number;
  readonly seconds: string;
}
const figures: Figure[] = [];
/** A scenario that takes longer than this (a stall, or a machine too loaded to measure) is cut short. */
const SCENARIO_LIMIT_MS = Number(process.env.BENCH_SCENARIO_LIMIT_MS ?? 180_000);
const temp = tempDir();
/** The scenarios to run (BENCH_ONLY), every one when unset. */
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const wanted = (name: string): boolean => only === undefined || only.includes(name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withEmulator<T>(
  options: Parameters<typeof startBenchEmulator>[0],
  run: (emulator: BenchEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startBenchEmulator(options);
  try {
    return await run(emulator);
  } finally {
    await emulator.stop();
  }
}

/**
 * Wait until every account of `accounts` has nothing pending or in flight, or {@link SCENARIO_LIMIT_MS} passed;
 * each one's time to get there, in ms (an account that did not get there has none).
 */
async function drainTimes(
  outbox: ReturnType<typeof openOutbox>,
  accounts: readonly string[],
  started: number,
): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  while (done.size < accounts.length && performance.now() - started < SCENARIO_LIMIT_MS) {
    for (const account of accounts) {
      if (done.has(account)) continue;
      const stats = outbox.stats(account);
      if (stats.pending === 0 && stats.inFlight === 0) done.set(account, performance.now() - started);
    }
    await sleep(20);
  }
  return done;
}

/** 1. One engine, ACCOUNTS accounts of 101 requests of 10 events each: every account's window used to the full. */
async function manyAccounts(): Promise<void> {
  const accounts = accountIds(ACCOUNTS);
  const requests = 101;
  const batch = 10;
  const path = join(temp.dir, 'many.db');
  const events = prefillAccounts(path, accounts, requests * batch);
  await withEmulator({ accounts: emulatorAccounts(accounts) }, async (emulator) => {
    const outbox = openOutbox({ path });
    const engine = createSyncEngine({
      outbox,
      accounts: tokensOf(accounts),
      baseUrl: emulator.url,
      dialect: v3Dialect,
      batchSize: batch,
      maxInFlight: 2,
      rateLimit: RATE_LIMIT,
      batchDelayMs: 0,
    });
    const started = performance.now();
    engine.start();
    await drainTimes(outbox, accounts, started);
    const ms = performance.now() - started;
    await engine.stop();
    outbox.close();
    const counts = await emulator.counters();
    const rate = (counts.eventsStored / ms) * 1000;
    const share = rate / (ACCOUNTS * ceilingOf(batch));
    const burstAware = idealMs(requests, LIMIT, WINDOW_MS) / ms;
    figures.push({
      scenario: `${ACCOUNTS} accounts, one engine, one file (${fmt(events)} events)`,
      figure: `${fmt(rate)} events/s: ${fmt(share, 3)} of the sum of the ceilings (${fmt(ACCOUNTS * ceilingOf(batch))}/s); ${fmt(burstAware, 3)} of the burst-aware ideal`,
      goal: '≥ 0.9 of the accounts’ ceilings, 0 × 429',
      met: share >= 0.9 && counts.rateLimited === 0 && counts.eventsStored === events,
      '429s': counts.rateLimited,
      seconds: fmt(ms / 1000, 1),
    });
  });
}

/** 2a. Eight healthy accounts beside one HubSpot throttles (10 requests per window) and one it refuses. */
async function fairness(): Promise<void> {
  const healthy = accountIds(8);
  const [throttled, uninstalled] = accountIds(2, 20_001) as [string, string];
  const requests = 101;
  const batch = 10;
  const path = join(temp.dir, 'fair.db');
  prefillAccounts(path, [...healthy, throttled, uninstalled], requests * batch);
  await withEmulator(
    {
      accounts: [
        ...emulatorAccounts([...healthy, throttled]).map((account) =>
          account.id === throttled
            ? { ...account, limits: { rateLimit: 10, rateWindowMs: WINDOW_MS } }
            : account,
        ),
        // Known to the emulator, but with no token the app holds: every request is refused 401.
        { id: uninstalled },
      ],
    },
    async (emulator) => {
      const outbox = openOutbox({ path });
      const engine = createSyncEngine({
        outbox,
        accounts: tokensOf([...healthy, throttled, uninstalled]),
        baseUrl: emulator.url,
        dialect: v3Dialect,
        batchSize: batch,
        maxInFlight: 2,
        rateLimit: RATE_LIMIT,
        batchDelayMs: 0,
      });
      // Every state each troubled account went through, as the engine said it.
      const seen = { [throttled]: new Set<string>(), [uninstalled]: new Set<string>() };
      for (const account of [throttled, uninstalled]) {
        engine.statusOf$(account).subscribe((status) => seen[account]?.add(status.state));
      }
      const started = performance.now();
      engine.start();
      const times = await drainTimes(outbox, healthy, started);
      const ms = performance.now() - started;
      await engine.stop();
      outbox.close();
      // An account that did not finish within the limit kept what it delivered by then.
      const worst = Math.min(
        ...healthy.map((account) => {
          const time = times.get(account) ?? ms;
          return (((times.has(account) ? requests * batch : 0) / time) * 1000) / ceilingOf(batch);
        }),
      );
      const healthy429 = (await Promise.all(healthy.map((account) => emulator.counters(account)))).reduce(
        (sum, counts) => sum + counts.rateLimited,
        0,
      );
      figures.push({
        scenario: `fairness: 8 accounts beside one throttled (${[...(seen[throttled] ?? [])].join(' → ')}) and one uninstalled (${[...(seen[uninstalled] ?? [])].join(' → ')})`,
        figure: `the slowest healthy account kept ${fmt(worst, 3)} of its ceiling`,
        goal: '≥ 0.95 each',
        met: worst >= 0.95,
        '429s': healthy429,
        seconds: fmt(ms / 1000, 1),
      });
    },
  );
}

/** 2b. 10 events of one account recorded after 10,000 of another: how long they wait. */
async function backlogFairness(): Promise<void> {
  const [big, small] = accountIds(2, 30_001) as [string, string];
  const path = join(temp.dir, 'backlog.db');
  prefillAccounts(path, [big, small], (account) => (account === big ? 10_000 : 10));
  await withEmulator(
    { accounts: emulatorAccounts([big, small]), faults: { latencyMs: 20 } },
    async (emulator) => {
      const outbox = openOutbox({ path });
      const engine = createSyncEngine({
        outbox,
        accounts: tokensOf([big, small]),
        baseUrl: emulator.url,
        dialect: v3Dialect,
        batchSize: 100,
        maxInFlight: 1,
        rateLimit: RATE_LIMIT,
        batchDelayMs: 0,
      });
      const started = performance.now();
      engine.start();
      const smallMs = (await drainTimes(outbox, [small], started)).get(small) ?? 0;
      const bigDelivered = outbox.stats(big).delivered;
      await drainTimes(outbox, [big], started);
      const ms = performance.now() - started;
      await engine.stop();
      outbox.close();
      figures.push({
        scenario: 'fairness: 10 events of one account behind 10,000 of another',
        figure: `the 10 delivered after ${fmt(smallMs)} ms, when ${fmt(bigDelivered)} of the 10,000 were`,
        goal: 'not behind the backlog',
        met: bigDelivered < 10_000,
        '429s': (await emulator.counters()).rateLimited,
        seconds: fmt(ms / 1000, 1),
      });
    },
  );
}

/**
 * Run `children` until each has printed its result (or {@link SCENARIO_LIMIT_MS} passed: then they are killed and
 * miss a result); the time from the first ready to the last result.
 */
async function runChildren(children: readonly DrainChild[]): Promise<{
  results: (AccountsChildResult | undefined)[];
  ms: number;
}> {
  await Promise.race(children.map((child) => child.ready));
  const started = performance.now();
  const limit = setTimeout(() => {
    for (const child of children) void child.kill();
  }, SCENARIO_LIMIT_MS);
  const results = await Promise.all(children.map((child) => child.result));
  clearTimeout(limit);
  return { results, ms: performance.now() - started };
}

/** How many children were cut short by the limit, as words for the figure. */
const cutShort = (results: readonly (AccountsChildResult | undefined)[]): string => {
  const missing = results.filter((result) => result === undefined).length;
  return missing === 0
    ? ''
    : ` (${missing} process${missing === 1 ? '' : 'es'} cut short after ${fmt(SCENARIO_LIMIT_MS / 1000)} s)`;
};

/** 3. `processes` processes drain one file for one account, 201 requests of 100 events in all. */
async function sharedFile(processes: number): Promise<void> {
  const [account] = accountIds(1, 40_001) as [string];
  const requests = 201;
  const path = join(temp.dir, `shared-${processes}.db`);
  const events = prefillAccounts(path, [account], requests * 100);
  await withEmulator({ accounts: emulatorAccounts([account]) }, async (emulator) => {
    const children = Array.from({ length: processes }, (_, n) =>
      startDrainChild({
        path,
        baseUrl: emulator.url,
        tokens: tokensOf([account]),
        owner: `shared-${n}`,
        batchSize: 100,
        maxInFlight: 2,
        rateLimit: RATE_LIMIT,
      }),
    );
    const { ms, results } = await runChildren(children);
    const counts = await emulator.counters(account);
    const delivered = counts.eventsStored;
    const share = ((delivered / ms) * 1000) / ceilingOf(100);
    figures.push({
      scenario: `${processes} processes, one outbox file, one account (${fmt(events)} events)`,
      figure: `${fmt((delivered / ms) * 1000)} events/s: ${fmt(share, 3)} of the ceiling${cutShort(results)}`,
      goal: '0 × 429, ≥ 0.9 of the ceiling',
      met: counts.rateLimited === 0 && share >= 0.9 && delivered === events,
      '429s': counts.rateLimited,
      seconds: fmt(ms / 1000, 1),
    });
  });
}

/** 4. Four processes, each its own outbox, one account: only HubSpot's headers tell them about each other. */
async function fleet(): Promise<void> {
  const [account] = accountIds(1, 50_001) as [string];
  const devices = 4;
  const requests = 200;
  const paths = Array.from({ length: devices }, (_, n) => join(temp.dir, `device-${n}.db`));
  // Each device records its own events: ids differ between files.
  for (const [n, path] of paths.entries())
    prefillAccounts(path, [account], (requests / devices) * 100, `d${n}-`);
  await withEmulator({ accounts: emulatorAccounts([account]) }, async (emulator) => {
    const children = paths.map((path, n) =>
      startDrainChild({
        path,
        baseUrl: emulator.url,
        tokens: tokensOf([account]),
        owner: `device-${n}`,
        batchSize: 100,
        maxInFlight: 2,
        rateLimit: RATE_LIMIT,
      }),
    );
    const { ms, results } = await runChildren(children);
    const counts = await emulator.counters(account);
    const refusedShare = counts.rateLimited / counts.requests;
    const share = ((counts.eventsStored / ms) * 1000) / ceilingOf(100);
    // When the 429s came, in seconds from the first request: at the start, when the window first fills, or later.
    const arrivals = await emulator.arrivals();
    const first = arrivals[0]?.receivedAt ?? 0;
    const refusedAt = arrivals
      .filter((arrival) => arrival.status === 429)
      .map((arrival) => `${fmt((arrival.receivedAt - first) / 1000, 1)} s`);
    figures.push({
      scenario: `${devices} processes, separate outboxes, one account, paced by the headers`,
      figure: `${fmt(refusedShare * 100, 2)} % of ${counts.requests} requests answered 429${refusedAt.length === 0 ? '' : ` (at ${refusedAt.join(', ')})`}; ${fmt((counts.eventsStored / ms) * 1000)} events/s: ${fmt(share, 3)} of the ceiling${cutShort(results)}`,
      goal: '≤ 1 % 429, ≥ 0.8 of the ceiling',
      met: refusedShare <= 0.01 && share >= 0.8,
      '429s': counts.rateLimited,
      seconds: fmt(ms / 1000, 1),
    });
  });
}

/** 5. Two processes drain 5 accounts from one file; up to three times one is SIGKILLed and replaced. */
async function sigkill(): Promise<void> {
  const accounts = accountIds(5, 60_001);
  const path = join(temp.dir, 'kill.db');
  const events = prefillAccounts(path, accounts, 3000);
  await withEmulator(
    {
      accounts: accounts.map((id) => ({
        id,
        tokens: [{ token: `tok-${id}` }],
        limits: { rateLimit: 100_000 },
      })),
      faults: { latencyMs: 15, jitterMs: 15 },
    },
    async (emulator) => {
      let next = 0;
      const start = (): DrainChild =>
        startDrainChild({
          path,
          baseUrl: emulator.url,
          tokens: tokensOf(accounts),
          owner: `kill-${next++}`,
          batchSize: 25,
          maxInFlight: 2,
          rateLimit: { requests: 100_000, windowMs: WINDOW_MS },
        });
      const children = [start(), start()];
      const started = performance.now();
      let kills = 0;
      // Each victim is killed 0.8 s after it started sending, mid-drain, while the other process goes on.
      for (let round = 0; round < 3; round += 1) {
        const victim = children[round % 2]!;
        await victim.ready;
        await sleep(800);
        if (victim.process.exitCode !== null) break;
        await victim.kill();
        kills += 1;
        children[round % 2] = start();
      }
      const limit = setTimeout(() => {
        for (const child of children) void child.kill();
      }, SCENARIO_LIMIT_MS);
      await Promise.all(children.map((child) => child.result));
      clearTimeout(limit);
      const ms = performance.now() - started;
      const stored = await emulator.stored();
      const seen = new Map<string, number>();
      let misplaced = 0;
      for (const { account, id } of stored) {
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (!id.startsWith(`${account}-`)) misplaced += 1;
      }
      const outbox = openOutbox({ path });
      const { delivered, dead } = outbox.stats();
      outbox.close();
      const twice = [...seen.values()].filter((count) => count > 1).length;
      const missing = events - seen.size;
      const counts = await emulator.counters();
      figures.push({
        scenario: `SIGKILL ×${kills} across ${accounts.length} accounts, 2 processes on one file (${fmt(events)} events)`,
        figure: `stored twice: ${twice}, missing: ${missing}, in the wrong account: ${misplaced}; outbox delivered ${fmt(delivered)}, dead ${dead}; re-sent after a kill (HubSpot said "already exists"): ${counts.duplicateIdsSeen}`,
        goal: 'every id once, in its own account',
        met: twice === 0 && missing === 0 && misplaced === 0 && delivered === events && dead === 0,
        '429s': counts.rateLimited,
        seconds: fmt(ms / 1000, 1),
      });
    },
  );
}

try {
  console.log(
    `\nAccounts: each limited to ${LIMIT} requests per ${fmt(WINDOW_MS)} ms rolling window, emulator on localhost`,
  );
  if (wanted('many')) await manyAccounts();
  if (wanted('fairness')) await fairness();
  if (wanted('backlog')) await backlogFairness();
  if (wanted('shared')) await sharedFile(2);
  if (wanted('shared')) await sharedFile(4);
  if (wanted('fleet')) await fleet();
  if (wanted('sigkill')) await sigkill();
  console.table(figures);
  if (figures.some((figure) => !figure.met)) console.log('Some goals were not met (see "met").');
} finally {
  temp.dispose();
}
