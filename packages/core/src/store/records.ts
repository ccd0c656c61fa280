import type { TimelineEventPatch } from '../event/types.js';
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
   * The event: `Recorded`, `Claimed`, `Delivered`, `Failed`, `Released`, `DeadLettered`, `Amended`,
   * `Requeued`, `LeaseExpired`, `ClockSteppedBack` or `Evicted`. Its `at` is what the store's clock said then.
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
  /** Only this account's dead letters. @default every account */
  readonly account?: string;
  /** Only dead letters of this category (e.g. `VALIDATION_ERROR`, `MAX_ATTEMPTS`). @default every category */
  readonly category?: string;
}

/**
 * Which dead letters a store's `requeue` puts back: these ids, every dead letter, or every dead letter of an
 * account and/or a category (`{}` is every dead letter).
 */
export type RequeueTarget =
  | readonly string[]
  | 'all-dead'
  | {
      /** Only this account's dead letters. @default every account */
      readonly account?: string;
      /** Only this category's dead letters. @default every category */
      readonly category?: string;
    };

/** Options of a store's `requeue`. */
export interface RequeueOptions {
  /**
   * Changes to the event before it goes back (a single id only): an `Amended` event keeps the original in the
   * history. Validated exactly as `record` validates, templates included; the `id` and `account` never change.
   * @default no change
   */
  readonly amend?: TimelineEventPatch;
  /** Who asked, kept in the history (`Amended`, `Requeued`). @default nobody named */
  readonly by?: string;
}

/** Options of a store's `discard`. */
export interface DiscardOptions {
  /** The account whose pending entries and dead letters are dropped (an app uninstalled from that portal). */
  readonly account: string;
  /** Why, kept in each entry's `Evicted` event. @default `account discarded` */
  readonly reason?: string;
}

/** Options of a store's `prune`. */
export interface PruneOptions {
  /** Keep finished entries updated within this many ms: a whole number ≥ 0. @default 7 days (`PRUNE_DEFAULTS.olderThanMs`) */
  readonly olderThanMs?: number;
  /**
   * Also delete dead letters that went dead more than this many ms ago (a whole number ≥ 0): dead letters age out.
   * @default dead letters are kept until requeued or discarded
   */
  readonly deadOlderThanMs?: number;
}

/** What to do when recording would exceed a store's `maxEntries` or `maxBytes`. */
export type CapacityPolicy =
  /** `record` throws a `CAPACITY_EXCEEDED` error and writes nothing. */
  | 'reject'
  /** The oldest pending entries are evicted (an `Evicted` lifecycle event each) and reported on `evicted$`. */
  | 'evict-oldest';

/** The defaults of a store's {@link PruneOptions}, each under the option's own name. */
export const PRUNE_DEFAULTS = {
  /** How long `prune` keeps delivered entries: 7 days, ms. */
  olderThanMs: 7 * 24 * 60 * 60 * 1000,
} as const;
