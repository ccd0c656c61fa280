/**
 * Drains an existing outbox file and reports its own peak RSS, so the figure is the drain's alone. Argument: JSON
 * `{ path, baseUrl, batchSize, maxInFlight?, accessToken?, pipeline? }`, where `pipeline` is
 * - `engine` (default): the sync engine with its default transport (node:http);
 * - `engine-ky`: the same engine on the ky/fetch transport, to show what fetch costs;
 * - `outbox`: the outbox's claim, request body and settle alone, no HTTP, to show what the outbox costs.
 * Prints one JSON line with the result.
 */
import { v3Dialect } from '@hubline/core';
import { openOutbox } from '@hubline/outbox';
import { createKyTransport } from '@hubline/sync/ky';
import { createSyncEngine } from '../../src/engine/create-sync-engine.js';

/** What the measured process runs. */
export type DrainPipeline = 'engine' | 'engine-ky' | 'outbox';

const { path, baseUrl, batchSize, maxInFlight, accessToken, pipeline } = JSON.parse(
  process.argv[2] ?? '{}',
) as {
  path: string;
  baseUrl: string;
  batchSize: number;
  maxInFlight?: number;
  accessToken?: string;
  pipeline?: DrainPipeline;
};
const outbox = openOutbox({ path });
const backlog = outbox.stats().pending;
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const engine =
  pipeline === 'outbox'
    ? undefined
    : createSyncEngine({
        outbox,
        accessToken: accessToken ?? 'bench-token',
        baseUrl,
        dialect: v3Dialect,
        batchSize,
        maxInFlight: maxInFlight ?? 1,
        rateLimit: false,
        ...(pipeline === 'engine-ky' ? { transport: createKyTransport() } : {}),
      });
let peakRssMb = rssBeforeMb;
let peakHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
// What the peak was made of: V8's heap as committed (live and not yet collected) and memory outside it.
let atPeak = { heapTotalMb: 0, externalMb: 0 };
// RSS also counts SQLite's page cache and memory-mapped database pages; the JS heap is the engine's own share.
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss / 2 ** 20 > peakRssMb) {
    peakRssMb = usage.rss / 2 ** 20;
    atPeak = { heapTotalMb: usage.heapTotal / 2 ** 20, externalMb: usage.external / 2 ** 20 };
  }
  peakHeapMb = Math.max(peakHeapMb, usage.heapUsed / 2 ** 20);
}, 50);
const started = performance.now();
if (pipeline === 'outbox') {
  const owner = 'outbox-only';
  for (;;) {
    const entries = outbox.claim({ limit: batchSize, leaseMs: 60_000, owner });
    if (entries.length === 0) break;
    const body = `{"inputs":[${entries.map((entry) => entry.json).join(',')}]}`;
    if (body.length === 0) throw new Error('empty request body');
    outbox.settle(
      owner,
      entries.map((entry) => ({ id: entry.id, type: 'delivered' as const, alreadyExisted: false })),
    );
    // As the engine does between requests: let timers (the sampler) run.
    await new Promise((resolve) => setImmediate(resolve));
  }
} else {
  engine?.start();
  await engine?.flush();
}
const ms = performance.now() - started;
await engine?.stop();
clearInterval(sampler);
const delivered = outbox.stats().delivered;
outbox.close();
process.stdout.write(
  `${JSON.stringify({
    backlog,
    delivered,
    ms,
    rssBeforeMb,
    peakHeapMb,
    ...atPeak,
    peakRssMb: Math.max(peakRssMb, process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
process.exit(0);
