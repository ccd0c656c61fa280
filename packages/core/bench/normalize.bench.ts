/**
 * How fast `normalizeEventWithJson` (what `normalizeEvent` wraps) validates, normalises and serialises events, the
 * work the outbox does on every `record`.
 * Run: `npx tsx packages/core/bench/normalize.bench.ts` (prints the best of 5 rounds of 100,000 per case; not a test).
 */
import { normalizeEventWithJson } from '../src/event/normalize-event.js';
import { createIdFactory } from '../src/ids/create-id-factory.js';

const newId = createIdFactory();
const now = Date.UTC(2026, 10, 29, 12);

const cases: Record<string, unknown> = {
  'small (email, 2 tokens)': {
    eventTemplateId: '1001234',
    email: 'ana@example.com',
    tokens: { page: '/pricing', seconds: 42 },
  },
  'typical (id, objectId, 5 tokens, timestamp, extraData)': {
    eventTemplateId: 1001234,
    id: '01JDQ8ZK3F4W2J6Q8Y1V5N7B9C',
    objectId: 51234,
    tokens: { page: '/pricing', seconds: 42, returning: true, visitedAt: new Date(now), source: 'kiosk-7' },
    timestamp: '2026-11-29T11:59:00.000+01:00',
    extraData: { device: { id: 'kiosk-7', firmware: '2.4.1' }, items: [1, 2, 3] },
  },
  'outbox bench input (email, 3 tokens, extraData; no id or timestamp)': {
    eventTemplateId: '1001234',
    email: 'visitor-4321@example.com',
    tokens: { page: '/pricing/4321', seconds: 121, plan: 'pro' },
    extraData: { source: 'kiosk-7', n: 4321 },
  },
  'with iframe': {
    eventTemplateId: '1001234',
    utk: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
    domain: 'example.com',
    tokens: { page: '/pricing' },
    timelineIFrame: {
      linkLabel: 'Open',
      headerLabel: 'Details',
      url: 'https://example.com/x',
      width: 600,
      height: 400,
    },
  },
  'refused (3 problems)': { eventTemplateId: '', token: {}, tokens: { 'bad name': 1 } },
};

/** Best of 5 rounds, as events per wall-clock second and per CPU second (steadier on a busy machine). */
function measure(input: unknown): { wall: number; cpu: number } {
  const run = (n: number) => {
    for (let index = 0; index < n; index++) {
      try {
        normalizeEventWithJson(input, { now, newId });
      } catch {
        // refusals are part of what is measured
      }
    }
  };
  run(50_000); // let the JIT settle before timing
  const count = 100_000;
  let wall = 0;
  let cpu = 0;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    run(count);
    const usedCpu = process.cpuUsage(startCpu);
    wall = Math.max(wall, count / ((performance.now() - start) / 1000));
    cpu = Math.max(cpu, count / ((usedCpu.user + usedCpu.system) / 1e6));
  }
  return { wall, cpu };
}

const rows = Object.entries(cases).map(([name, input]) => {
  const { wall, cpu } = measure(input);
  return { case: name, 'events/s (wall)': Math.round(wall), 'events/CPU-s': Math.round(cpu) };
});
console.table(rows);
