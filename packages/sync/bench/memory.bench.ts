/**
 * Benchmark 3: peak RSS of a process draining a large backlog with the sync engine, 1,000,000 events next to
 * 100,000. The engine pages from the outbox, so the two peaks should be close (goal: ≤ 150 MB, within 25%).
 * The server is a bare loopback sink answering 201 in this parent process (the emulator would keep a million events
 * in memory, and its memory is not the engine's); each drain runs in its own child process, which measures its own
 * peak (`process.resourceUsage().maxRSS` and a 50 ms sampler). The measured children run as one plain-JS bundle
 * under bare `node` — what an app ships — in two heap configurations:
 * - Node's defaults on this machine. V8 sizes its heap from the machine's memory (here a 4 GiB limit on 24 GiB of
 *   RAM) and lets old space grow to about four times the live heap before collecting it: the engine's live heap is
 *   ~15 MB, the rest of the peak is garbage V8 has not yet chosen to collect.
 * - `--max-old-space-size=1024`: the heap limit V8 itself picks on a device with about 2 GiB of RAM (Node 20
 *   reports a heap_size_limit near 1 GiB there), which is where an edge device running Hubline lives. With it V8
 *   collects sooner; nothing else changes.
 * One more 100k run goes through the tsx loader, so the loader's share is shown rather than hidden, and two more
 * 100k runs take the peak apart: the outbox's claim and settle alone (no HTTP), and the engine on a bench-only
 * `node:http` transport instead of the shipped ky/fetch one.
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

const answer = JSON.stringify({ status: 'COMPLETE', results: [] });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
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
  flags: readonly string[];
  pipeline: DrainPipeline;
}
const results: (DrainResult & Run & { recordMs: number })[] = [];
// The heap limit V8 chooses by default on a machine with about 2 GiB of memory (see the header).
const DEVICE_HEAP = ['--max-old-space-size=1024'];
const runs: Run[] = [
  ...SIZES.map((size) => ({ size, runtime: 'bundled' as const, flags: [], pipeline: 'engine' as const })),
  ...SIZES.map((size) => ({
    size,
    runtime: 'bundled' as const,
    flags: DEVICE_HEAP,
    pipeline: 'engine' as const,
  })),
  { size: SIZES[0]!, runtime: 'tsx', flags: [], pipeline: 'engine' },
  { size: SIZES[0]!, runtime: 'bundled', flags: [], pipeline: 'outbox' },
  { size: SIZES[0]!, runtime: 'bundled', flags: [], pipeline: 'engine-node-http' },
];
const PIPELINE_LABELS: Record<DrainPipeline, string> = {
  engine: 'engine',
  outbox: 'outbox claim/settle only',
  'engine-node-http': 'engine on node:http',
};
try {
  for (const [index, run] of runs.entries()) {
    const { size, runtime, flags, pipeline } = run;
    const path = join(temp.dir, `backlog-${index}.db`);
    const { ms: recordMs } = prefillOutbox(path, size);
    const child = await spawnJsonChild<DrainResult>(
      'drain-child.ts',
      { path, baseUrl, batchSize: BATCH, pipeline },
      runtime,
      flags,
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
      child: `${result.runtime === 'bundled' ? 'node, bundled JS' : 'node + tsx loader'}${result.flags.length > 0 ? ` ${result.flags.join(' ')}` : ''}`,
      'drain events/s': fmt((result.delivered / result.ms) * 1000),
      'RSS at start (MB)': fmt(result.rssBeforeMb, 1),
      'peak RSS (MB)': fmt(result.peakRssMb, 1),
      'peak JS heap used (MB)': fmt(result.peakHeapMb, 1),
      'at peak: V8 heap / external (MB)': `${fmt(result.heapTotalMb, 0)} / ${fmt(result.externalMb, 0)}`,
      'record events/s': fmt((result.backlog / result.recordMs) * 1000),
    })),
  );
  const [small, large, smallDevice, largeDevice, loaded, outboxOnly, nodeHttp] = results;
  for (const [a, b] of [
    [small, large],
    [smallDevice, largeDevice],
  ] as const) {
    if (a && b) {
      console.log(
        `peak RSS ${fmt(b.backlog)} / ${fmt(a.backlog)}${a.flags.length > 0 ? ` (${a.flags.join(' ')})` : ''} = ${fmt(b.peakRssMb / a.peakRssMb, 2)} (goal ≤ 1.25; each ≤ 150 MB)`,
      );
    }
  }
  if (small && loaded) {
    console.log(
      `the tsx loader adds ${fmt(loaded.rssBeforeMb - small.rssBeforeMb, 1)} MB at start and ${fmt(loaded.peakRssMb - small.peakRssMb, 1)} MB at peak (${fmt(small.backlog)} backlog)`,
    );
  }
  if (small && outboxOnly && nodeHttp) {
    console.log(
      `at ${fmt(small.backlog)}: the outbox's claim/settle alone peaks at ${fmt(outboxOnly.peakRssMb, 1)} MB; the engine on node:http at ${fmt(nodeHttp.peakRssMb, 1)} MB, ${fmt(small.peakRssMb - nodeHttp.peakRssMb, 1)} MB below the shipped ky/fetch transport`,
    );
  }
} finally {
  server.close();
  temp.dispose();
}
