/**
 * Drains an existing outbox file with the sync engine and reports its own peak RSS, so the figure is the
 * engine's alone. Argument: JSON `{ path, baseUrl, batchSize, maxInFlight?, accessToken? }`. Prints one JSON line
 * with the result.
 */
import { v3Dialect } from '@hubline/core';
import { openOutbox } from '@hubline/outbox';
import { createSyncEngine } from '../../src/engine/create-sync-engine.js';

const { path, baseUrl, batchSize, maxInFlight, accessToken } = JSON.parse(process.argv[2] ?? '{}') as {
  path: string;
  baseUrl: string;
  batchSize: number;
  maxInFlight?: number;
  accessToken?: string;
};
const outbox = openOutbox({ path });
const backlog = outbox.stats().pending;
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const engine = createSyncEngine({
  outbox,
  accessToken: accessToken ?? 'bench-token',
  baseUrl,
  dialect: v3Dialect,
  batchSize,
  maxInFlight: maxInFlight ?? 1,
  rateLimit: false,
});
let peakRssMb = rssBeforeMb;
let peakHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
// RSS also counts SQLite's page cache and memory-mapped database pages; the JS heap is the engine's own share.
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peakRssMb = Math.max(peakRssMb, usage.rss / 2 ** 20);
  peakHeapMb = Math.max(peakHeapMb, usage.heapUsed / 2 ** 20);
}, 50);
const started = performance.now();
engine.start();
const report = await engine.flush();
const ms = performance.now() - started;
await engine.stop();
clearInterval(sampler);
const delivered = outbox.stats().delivered;
outbox.close();
process.stdout.write(
  `${JSON.stringify({
    backlog,
    delivered,
    flushDelivered: report.delivered,
    ms,
    rssBeforeMb,
    peakHeapMb,
    peakRssMb: Math.max(peakRssMb, process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
process.exit(0);
