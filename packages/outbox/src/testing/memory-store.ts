import type { Release, Settlement } from '@hubline/core/store';
import type { Outbox } from '../types.js';
import { InMemoryStore } from './in-memory-store.js';
import { type MemoryStoreOptions, resolveMemoryOptions } from './memory-store-options.js';

export type { MemoryStoreOptions } from './memory-store-options.js';

/** One call a test may want to look at afterwards. */
export interface SettleCall {
  /** The owner passed. */
  readonly owner: string;
  /** The settlements passed, as passed. */
  readonly settlements: readonly Settlement[];
}

/** One `release` call, as passed. */
export interface ReleaseCall {
  /** The owner passed. */
  readonly owner: string;
  /** The releases passed, as passed. */
  readonly releases: readonly Release[];
}

/**
 * An {@link Outbox} in memory, for tests: the same decisions as the SQLite outbox (core's `decide*` and
 * `evolve`), the same validation and the same answers, proven by the same contract suite
 * (`describeStoreContract`), without a file. Plus what a test wants to look at.
 */
export interface MemoryStore extends Outbox {
  /** Every `settle` call, in order. */
  readonly settleCalls: readonly SettleCall[];
  /** Every `release` call, in order. */
  readonly releaseCalls: readonly ReleaseCall[];
  /**
   * Records `count` small events with the ids `e000`, `e001`, … (numbering on from the last seed), in one
   * `recordMany`.
   *
   * @param count - how many
   * @param bytes - the serialised size of each, when a test needs a given size (padded with a token)
   * @returns their ids
   */
  seed(count: number, bytes?: number): string[];
}

/**
 * Creates an in-memory store.
 *
 * @param options - the clock, and the capacity settings the SQLite outbox takes
 * @example
 * ```ts
 * import { createMemoryStore } from '@hubline/outbox/testing';
 *
 * const clock = createVirtualClock();
 * const store = createMemoryStore({ clock: clock.now });
 * store.seed(25);
 * const engine = createSyncEngine({ outbox: store, … });
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new InMemoryStore(resolveMemoryOptions(options));
}
