import { describe, expect, it } from 'vitest';
import { createSecureRandom } from './create-secure-random.js';

describe('createSecureRandom', () => {
  it('returns numbers in [0, 1) and keeps going past its batch with fresh numbers', () => {
    const random = createSecureRandom(8);
    const values = Array.from({ length: 64 }, () => random());
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    // 64 draws of 32 bits: a repeat would mean the batch was reused, not refilled.
    expect(new Set(values).size).toBe(64);
  });

  it('spreads over [0, 1) evenly enough to pick each of 32 base32 characters', () => {
    const random = createSecureRandom();
    const counts = new Array<number>(32).fill(0);
    for (let n = 0; n < 32_000; n++) counts[Math.floor(random() * 32)]! += 1;
    // Expected 1000 each; 6 standard deviations (~190) either side.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });
});
