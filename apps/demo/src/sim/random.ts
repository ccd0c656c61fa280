import type { RandomSource } from '@hubline/core';

/**
 * Pick one item of a non-empty list.
 *
 * @param random - the random source
 * @param items - the choices
 */
export function pick<T>(random: RandomSource, items: readonly T[]): T {
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
export function integerBetween(random: RandomSource, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
