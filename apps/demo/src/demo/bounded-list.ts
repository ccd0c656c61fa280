/** A list that keeps only its newest items. */
export interface BoundedList<T> {
  /** Append `item`, dropping the oldest items past the capacity. */
  push(item: T): void;
  /** The items kept, oldest first (a live view: copy it before handing it out). */
  readonly items: readonly T[];
}

/**
 * A list capped at `capacity` items, for the demo's histories (chart points, recent ids) that must not grow with
 * the length of a run.
 *
 * @param capacity - how many of the newest items to keep (at least 1)
 * @example
 * ```ts
 * const last = createBoundedList<number>(2);
 * last.push(1); last.push(2); last.push(3);
 * last.items; // [2, 3]
 * ```
 */
export function createBoundedList<T>(capacity: number): BoundedList<T> {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
  const items: T[] = [];
  return {
    push(item) {
      items.push(item);
      if (items.length > capacity) items.splice(0, items.length - capacity);
    },
    items,
  };
}
