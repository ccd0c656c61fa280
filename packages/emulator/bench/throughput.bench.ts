/**
 * How many events per second the emulator accepts over loopback, so we know it is never the bottleneck.
 * Run: npx tsx --conditions=@hubline/source packages/emulator/bench/throughput.bench.ts
 *
 * The client is plain node:http with keep-alive and pre-built bodies, in the same process (the emulator
 * shares one core with it, so the figures are a floor). Every response is checked to be a 201.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/index.js';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const totalEvents = 200_000;

function body(batch: number, size: number): string {
  const parts: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const n = batch * size + i;
    parts.push(
      `{"eventTemplateId":"1001234","id":"evt-${n}","email":"user${n % 1000}@example.com","timestamp":"2026-11-29T12:00:00.000Z","tokens":{"page":"/pricing/${n % 50}","seconds":"${n % 300}"},"extraData":{"device":"kiosk-${n % 7}"}}`,
    );
  }
  return `{"inputs":[${parts.join(',')}]}`;
}

function post(agent: Agent, port: number, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/integrators/timeline/v3/events/batch/create',
        headers: {
          authorization: 'Bearer hubline-emulator-token',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function run(size: number): Promise<Record<string, string | number>> {
  await using emu = await startEmulator({
    limits: { maxBatchSize: size, rateLimit: 1e9, maxBodyBytes: 64e6 },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, noDelay: true });
  const batches = Math.ceil(totalEvents / size);
  // Bodies are built before timing so the figure is the emulator's, not the client's JSON building.
  const bodies = Array.from({ length: batches }, (_, b) => body(b, size));
  const latencies: number[] = [];
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches) {
        const payload = bodies[next++]!;
        const start = performance.now();
        const status = await post(agent, emu.port, payload);
        latencies.push(performance.now() - start);
        if (status !== 201) bad += 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const stored = emu.counters().eventsStored;
  if (bad > 0 || stored !== batches * size)
    throw new Error(`${bad} non-201 answers; ${stored} events stored`);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return {
    'batch size': size,
    requests: batches,
    events: stored,
    seconds: Number(seconds.toFixed(2)),
    'events/s': Math.round(stored / seconds),
    'requests/s': Math.round(batches / seconds),
    'p50 ms': Number(pct(0.5).toFixed(1)),
    'p99 ms': Number(pct(0.99).toFixed(1)),
  };
}

// One short warm-up so the JIT has seen the hot path before anything is measured.
await run(100);
const rows = [await run(100), await run(500)];
console.log(
  `emulator throughput over loopback (${concurrency} keep-alive connections, ${totalEvents} events each)`,
);
console.table(rows);
