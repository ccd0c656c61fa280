/**
 * What each shipped transport (node:http, the default, and ky over fetch) costs over bare `fetch` on loopback, and what one rate-budget acquisition costs.
 * Run: `npx tsx --conditions=@hubline/source packages/sync/bench/transport.bench.ts` (or `pnpm bench transport`).
 * Prints tables; not a test. The server answers a fixed 201 at once, so the figures are client overhead.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKyTransport } from '@hubline/sync/ky';
import type { Transport } from '../src/contracts.js';
import { createRateBudget } from '../src/pacing/create-rate-budget.js';
import { createNodeHttpTransport } from '../src/transport/create-node-http-transport.js';

const PATH = '/integrators/timeline/v3/events/batch/create';
const answer = JSON.stringify({ status: 'COMPLETE', results: [] });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function body(bytes: number): string {
  const input = {
    eventTemplateId: '1001234',
    id: '01JDQ8ZK3F4W2J6Q8Y1V5N7B9C',
    email: 'ana@example.com',
    tokens: {},
  };
  const one = JSON.stringify(input).length + 1;
  return JSON.stringify({
    inputs: Array.from({ length: Math.max(1, Math.round(bytes / one)) }, () => input),
  });
}

type Send = (payload: string) => Promise<unknown>;

const viaTransport =
  (transport: Transport): Send =>
  (payload) =>
    transport({
      baseUrl,
      path: PATH,
      method: 'POST',
      body: payload,
      accessToken: 'bench',
      timeoutMs: 10_000,
    });
const clients: Record<string, Send> = {
  'fetch (bare)': async (payload) => {
    const response = await fetch(`${baseUrl}${PATH}`, {
      method: 'POST',
      body: payload,
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    });
    return response.text();
  },
  createNodeHttpTransport: viaTransport(createNodeHttpTransport()),
  createKyTransport: viaTransport(createKyTransport()),
};

async function measure(send: Send, payload: string, concurrency: number, total: number) {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const start = performance.now();
      await send(payload);
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    'req/s': Math.round(total / seconds),
    'p50 ms': at(0.5).toFixed(2),
    'p99 ms': at(0.99).toFixed(2),
  };
}

const rows: Record<string, unknown>[] = [];
for (const [bytesLabel, bytes] of [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
] as const) {
  const payload = body(bytes);
  for (const concurrency of [1, 8]) {
    for (const [name, send] of Object.entries(clients)) {
      await measure(send, payload, concurrency, 200); // warm up the pool and the JIT
      rows.push({
        client: name,
        body: bytesLabel,
        concurrency,
        ...(await measure(send, payload, concurrency, 2000)),
      });
    }
  }
}
console.log('Transport over loopback (2000 requests per row, after 200 warm-up):');
console.table(rows);
server.close();

// The budget's own cost per acquisition while slots are free (the common case), on the real scheduler.
const budget = createRateBudget({ requests: 10_000_000, windowMs: 10_000 });
const acquisitions = 1_000_000;
const start = performance.now();
for (let index = 0; index < acquisitions; index++) budget.acquire().subscribe();
const seconds = (performance.now() - start) / 1000;
console.log('Rate budget, free slots:');
console.table([{ acquisitions, 'acquire/s': Math.round(acquisitions / seconds) }]);
