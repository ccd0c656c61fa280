/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/**
 * A small seeded PRNG (mulberry32): the same seed always produces the same simulated activity, so a demo run
 * can be replayed. Not for anything secret.
 *
 * @param seed - any integer
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // 0.6011037519201636, every time
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Pick one item of a non-empty list.
 *
 * @param random - the random source
 * @param items - the choices
 */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick: no items to choose from');
  return item;
}

/**
 * An integer in `[min, max]`.
 *
 * @param random - the random source
 * @param min - lowest value
 * @param max - highest value
 */
export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
