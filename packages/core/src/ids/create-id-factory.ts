import { monotonicFactory } from 'ulid';
import { createSecureRandom } from '../random/create-secure-random.js';

/** Options of {@link createIdFactory}. */
export interface IdFactoryOptions {
  /**
   * Epoch-millisecond clock that supplies the time part of each id. Inject one in tests.
   * @default Date.now
   */
  clock?: () => number;
  /**
   * Random source returning numbers in `[0, 1)`, used for the random part of each id. Inject a seeded one
   * for reproducible tests.
   * @default a cryptographically secure source drawing from `crypto.getRandomValues` in batches (ulid's own
   *   calls it once per character, about 75 µs per id here)
   */
  random?: () => number;
}

/**
 * Creates a generator of monotonic ULIDs: 26-character, Crockford base32, lexicographically sortable ids.
 * Ids sort in creation order even when several are made in one millisecond (the random part is
 * incremented) and even when the clock steps backwards (the last time seen is reused), so an outbox can
 * order its entries by id.
 *
 * @param options - the clock and random source; both default to the real ones.
 * @returns a function returning a new id on each call.
 * @example
 * ```ts
 * const newId = createIdFactory();
 * const a = newId();
 * const b = newId();
 * a < b; // true
 * ```
 */
export function createIdFactory(options: IdFactoryOptions = {}): () => string {
  const clock = options.clock ?? Date.now;
  const next = monotonicFactory(options.random ?? createSecureRandom());
  return () => next(clock());
}
