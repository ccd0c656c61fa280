import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { monotonicScheduler } from './monotonic-scheduler.js';

describe('monotonicScheduler', () => {
  it('reads epoch ms that move with the monotonic clock, starting at the wall clock', () => {
    const before = performance.now();
    const now = monotonicScheduler.now();
    const after = performance.now();
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
    const again = monotonicScheduler.now();
    expect(again - now).toBeGreaterThanOrEqual(0);
    expect(again - now).toBeLessThanOrEqual(performance.now() - before + 1);
    expect(after).toBeGreaterThanOrEqual(before);
  });

  it('runs scheduled work on a real timer, and not before its delay by its own clock', async () => {
    const start = monotonicScheduler.now();
    const ranAt = await new Promise<number>((resolve) => {
      monotonicScheduler.schedule(() => resolve(monotonicScheduler.now()), 20);
    });
    expect(ranAt - start).toBeGreaterThanOrEqual(19);
  });
});
