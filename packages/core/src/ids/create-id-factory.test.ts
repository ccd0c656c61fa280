import fc from 'fast-check';
import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { createSeededRandom as seededRandom } from '../random/create-seeded-random.js';
import { createIdFactory } from './create-id-factory.js';

function isStrictlyIncreasing(ids: readonly string[]): boolean {
  return ids.every((id, index) => index === 0 || (ids[index - 1] as string) < id);
}

describe('createIdFactory', () => {
  it('makes valid 26-character ULIDs carrying the clock time', () => {
    const newId = createIdFactory({ clock: () => 1_780_000_000_000, random: seededRandom(1) });
    const id = newId();
    expect(id).toHaveLength(26);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(1_780_000_000_000);
  });

  it('keeps ids in creation order when the clock is stuck on one millisecond', () => {
    const newId = createIdFactory({ clock: () => 1_780_000_000_000, random: seededRandom(2) });
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(isStrictlyIncreasing(ids)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps ids in creation order when the clock steps backwards', () => {
    const times = [
      1_780_000_000_500, 1_780_000_000_100, 1_780_000_000_000, 1_780_000_000_600, 1_780_000_000_200,
    ];
    let call = 0;
    const newId = createIdFactory({
      clock: () => times[call++ % times.length] as number,
      random: seededRandom(3),
    });
    const ids = Array.from({ length: 50 }, () => newId());
    expect(isStrictlyIncreasing(ids)).toBe(true);
  });

  it('keeps ids in creation order for any sequence of clock readings (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer(),
        (times, seed) => {
          let call = 0;
          const newId = createIdFactory({ clock: () => times[call++] as number, random: seededRandom(seed) });
          return isStrictlyIncreasing(times.map(() => newId()));
        },
      ),
    );
  });

  it('is reproducible with an injected clock and random source', () => {
    const make = () => createIdFactory({ clock: () => 1_780_000_000_000, random: seededRandom(42) });
    const a = make();
    const b = make();
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('uses the real clock and a secure random source by default', () => {
    const before = Date.now();
    const id = createIdFactory()();
    expect(decodeTime(id)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(id)).toBeLessThanOrEqual(Date.now());
  });
});
