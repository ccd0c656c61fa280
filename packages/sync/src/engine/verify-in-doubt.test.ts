import { describe, expect, it } from 'vitest';
import { createEngineHarness } from '../../test/support/engine-harness.js';
import { answer, failure } from '../../test/support/fake-transport.js';
import { VIRTUAL_EPOCH } from '../../test/support/virtual-clock.js';

const T0 = VIRTUAL_EPOCH;

describe('the engine confirming an event whose last attempt left it in doubt', () => {
  it('reads it back within the rate budget: the read-back waits for its slot like any request', async () => {
    const h = createEngineHarness({
      maxAttempts: 1,
      rateLimit: { requests: 1, windowMs: 5000 },
      rateLimitMarginMs: 0,
    });
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, request) =>
      request.method === 'GET' ? answer(404, '{"message":"no such event"}') : answer(503);
    h.engine.start();
    await h.clock.advance(20_000);

    // The 503 was an answer (the request is over), so the first "not found" is final; but not before its slot.
    expect(h.fake.requests.map((request) => `${request.method} ${request.at - T0}`)).toEqual([
      'POST 0',
      'GET 5000',
    ]);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'dead', attempts: 1 });
    await h.engine.stop();
  });

  it('reads back with backoff while a timed-out request may still land, and gives up only after confirmWindowMs', async () => {
    const h = createEngineHarness({
      maxAttempts: 1,
      confirmWindowMs: 10_000,
      backoff: { baseMs: 1000, maxMs: 4000 },
    });
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, request) =>
      request.method === 'GET' ? answer(404, '{"message":"no such event"}') : failure('timeout');
    const stats: number[] = [];
    h.engine.stats$.subscribe((value) => stats.push(value.confirming ?? -1));
    h.engine.start();
    await h.clock.advance(60_000);

    const gets = h.fake.requests
      .filter((request) => request.method === 'GET')
      .map((request) => request.at - T0);
    // The timeout was settled at 100 ms: until 10 100 ms "not found" means "not yet".
    expect(gets.length).toBeGreaterThan(2);
    expect(gets.slice(0, -1).every((at) => at < 10_100)).toBe(true);
    expect(gets.at(-1)).toBeGreaterThanOrEqual(10_100);
    const gaps = gets.slice(1).map((at, index) => at - gets[index]!);
    // Backoff (jitter fixed at one half): the gaps grow to the ceiling's half, and the last one ends at the horizon.
    expect(gaps.slice(0, 3)).toEqual([600, 1100, 2100]);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(h.outcomes.filter((outcome) => outcome.type === 'retrying').slice(1)).toEqual(
      expect.arrayContaining([expect.objectContaining({ countsAsAttempt: false })]),
    );
    expect(Math.max(...stats)).toBe(1);
    expect(stats.at(-1)).toBe(0);
    await h.engine.stop();
  });
});
