import type { LifecycleEvent } from '../lifecycle/types.js';

/*
 * The vocabulary every store shares beyond the port: what its history, dead-letter and maintenance calls take
 * and return. Defined once here so that the SQLite outbox, the memory store and the PostgreSQL store answer in
 * the same words.
 */

/** One lifecycle event as stored, with its position in the entry's log. */
export interface HistoryRecord {
  /** Position in the entry's log, from 1 (`Recorded`). */
  readonly seq: number;
  /**
   * The event: `Recorded`, `Claimed`, `Delivered`, `Failed`, `Released`, `DeadLettered`, `Requeued`,
   * `LeaseExpired`, `ClockSteppedBack` or `Evicted`. Its `at` is what the store's clock said then.
   */
  readonly event: LifecycleEvent;
}

/** An entry evicted by the `evict-oldest` policy. */
export interface Eviction {
  /** The evicted entry's id. It cannot be requeued; recording it again is a no-op. */
  readonly id: string;
  /** Which limit made room necessary, e.g. `maxEntries 100000 reached`. */
  readonly reason: string;
}

/** Options of a store's `listDead`. */
export interface ListDeadOptions {
  /** How many dead letters at most: an integer ≥ 1. @default 100 */
  readonly limit?: number;
  /** The last id of the previous page; the page starts after it. @default the first dead letter */
  readonly afterId?: string;
}

/** Options of a store's `prune`. */
export interface PruneOptions {
  /** Keep finished entries updated within this many ms: a whole number ≥ 0. @default 7 days (`DEFAULT_RETENTION_MS`) */
  readonly olderThanMs?: number;
}

/** What to do when recording would exceed a store's `maxEntries` or `maxBytes`. */
export type CapacityPolicy =
  /** `record` throws a `CAPACITY_EXCEEDED` error and writes nothing. */
  | 'reject'
  /** The oldest pending entries are evicted (an `Evicted` lifecycle event each) and reported on `evicted$`. */
  | 'evict-oldest';

/** How long `prune` keeps delivered entries by default: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
