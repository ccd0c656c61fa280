/**
 * Benchmark 3: peak RSS of a process draining a large backlog with the sync engine, 1,000,000 events next to
 * 100,000. The engine pages from the outbox, so the two peaks should be close (goal: ≤ 150 MB, within 25%).
 * The server is a bare loopback sink answering 201, naming every event sent in `results`, in this parent process
 * (the emulator would keep a million events in memory, and its memory is not the engine's); each drain runs in its own child process, which measures its own
 * peak (`process.resourceUsage().maxRSS` and a 50 ms sampler). The measured children run as one plain-JS bundle
 * under bare `node` with Node's default heap settings — what an app ships.
 * The same two drains run again with the engine on the ky/fetch transport instead of its default node:http one, so
 * the difference between the transports is measured rather than asserted. One more 100k run goes through the tsx
 * loader, so the loader's share is shown rather than hidden, and one drives the outbox's claim and settle alone (no
 * HTTP), the floor under everything else.
 * Run: `pnpm bench memory` (BENCH_SMALL=100000, BENCH_LARGE=1000000 scale it).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DrainPipeline } from './support/drain-child.js';
import { fmt, prefillOutbox, tempDir } from './support/fixtures.js';
import { type ChildRuntime, spawnJsonChild } from './support/processes.js';

const SIZES = [Number(process.env.BENCH_SMALL ?? 100_000), Number(process.env.BENCH_LARGE ?? 1_000_000)];
const BATCH = 100;

interface DrainResult {
  backlog: number;
  delivered: number;
  ms: number;
  rssBeforeMb: number;
  peakHeapMb: number;
  peakRssMb: number;
  heapTotalMb: number;
  externalMb: number;
}

/**
 * HubSpot's answer to a batch: each event named in `results`. Only that is evidence of delivery (an empty `results`
 * leaves every event's outcome unknown, and the drain never ends), so the sink reads the ids it was sent.
 */
function answerTo(body: string): string {
  const inputs = (JSON.parse(body) as { inputs?: { id: string }[] }).inputs ?? [];
  return JSON.stringify({ status: 'COMPLETE', results: inputs.map((input) => ({ id: input.id })) });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const answer = answerTo(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(201, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
    });
    response.end(answer);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const temp = tempDir();
interface Run {
  size: number;
  runtime: ChildRuntime;
  pipeline: DrainPipeline;
}
const results: (DrainResult & Run & { recordMs: number })[] = [];
const runs: Run[] = [
  ...SIZES.map((size) => ({ size, runtime: 'bundled' as const, pipeline: 'engine' as const })),
  ...SIZES.map((size) => ({ size, runtime: 'bundled' as const, pipeline: 'engine-ky' as const })),
  { size: SIZES[0]!, runtime: 'tsx', pipeline: 'engine' },
  { size: SIZES[0]!, runtime: 'bundled', pipeline: 'outbox' },
];
const PIPELINE_LABELS: Record<DrainPipeline, string> = {
  engine: 'engine (node:http transport, the default)',
  'engine-ky': 'engine on createKyTransport (fetch)',
  outbox: 'outbox claim/settle only',
};
try {
  for (const [index, run] of runs.entries()) {
    const { size, runtime, pipeline } = run;
    const path = join(temp.dir, `backlog-${index}.db`);
    const { ms: recordMs } = prefillOutbox(path, size);
    const child = await spawnJsonChild<DrainResult>(
      'drain-child.ts',
      { path, baseUrl, batchSize: BATCH, pipeline },
      runtime,
    );
    await child.stop();
    if (child.value.delivered !== size) throw new Error(`drained ${child.value.delivered} of ${size}`);
    results.push({ ...child.value, ...run, recordMs });
  }
  console.log(
    `\nPeak RSS of one process draining a backlog with the engine (${BATCH} per request, loopback 201 sink)`,
  );
  console.table(
    results.map((result) => ({
      backlog: fmt(result.backlog),
      pipeline: PIPELINE_LABELS[result.pipeline],
      child: result.runtime === 'bundled' ? 'node, bundled JS' : 'node + tsx loader',
      'drain events/s': fmt((result.delivered / result.ms) * 1000),
      'RSS at start (MB)': fmt(result.rssBeforeMb, 1),
      'peak RSS (MB)': fmt(result.peakRssMb, 1),
      'peak JS heap used (MB)': fmt(result.peakHeapMb, 1),
      'at peak: V8 heap / external (MB)': `${fmt(result.heapTotalMb, 0)} / ${fmt(result.externalMb, 0)}`,
      'record events/s': fmt((result.backlog / result.recordMs) * 1000),
    })),
  );
  const [small, large, smallKy, largeKy, loaded, outboxOnly] = results;
  for (const [a, b] of [
    [small, large],
    [smallKy, largeKy],
  ] as const) {
    if (a && b) {
      console.log(
        `${PIPELINE_LABELS[a.pipeline]}: peak RSS ${fmt(b.backlog)} / ${fmt(a.backlog)} = ${fmt(b.peakRssMb / a.peakRssMb, 2)} (goal ≤ 1.25; each ≤ 150 MB)`,
      );
    }
  }
  if (small && loaded) {
    console.log(
      `the tsx loader adds ${fmt(loaded.rssBeforeMb - small.rssBeforeMb, 1)} MB at start and ${fmt(loaded.peakRssMb - small.peakRssMb, 1)} MB at peak (${fmt(small.backlog)} backlog)`,
    );
  }
  if (small && outboxOnly) {
    console.log(
      `at ${fmt(small.backlog)}: the outbox's claim/settle alone peaks at ${fmt(outboxOnly.peakRssMb, 1)} MB, ${fmt(small.peakRssMb - outboxOnly.peakRssMb, 1)} MB below the whole engine`,
    );
  }
} finally {
  server.close();
  temp.dispose();
}
