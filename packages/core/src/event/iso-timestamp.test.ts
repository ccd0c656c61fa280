import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it.each([
    0, 1, 999, 946_684_800_000, 951_782_399_999, 951_782_400_000, 951_868_799_999, 4_102_444_799_999,
    4_102_444_800_000, 253_402_300_799_999,
  ])('writes %i exactly as Date#toISOString does', (ms) => {
    expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with Date#toISOString for any millisecond from 1970 to 9999, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 253_402_300_799_999 }), { maxLength: 5 }), (values) => {
        for (const ms of values) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to the built-in outside that window and for fractions', () => {
    for (const ms of [-1, -62_198_755_200_000, 253_402_300_800_000, 1.5]) {
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
