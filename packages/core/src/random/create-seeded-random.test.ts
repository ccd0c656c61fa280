import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './create-seeded-random.js';

describe('createSeededRandom', () => {
  it('replays the same sequence for the same seed', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const first = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(first);
  });

  it('gives a different sequence for another seed', () => {
    const a = Array.from({ length: 10 }, createSeededRandom(1));
    const b = Array.from({ length: 10 }, createSeededRandom(2));
    expect(a).not.toEqual(b);
  });

  it('stays in [0, 1) and spreads over the interval', () => {
    const random = createSeededRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]! += 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});
