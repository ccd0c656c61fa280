import type { FlushBlocker, FlushReport } from './types.js';

/** The engine's running totals a flush reports the change of. */
export interface FlushTotals {
  /** Events delivered so far. */
  readonly delivered: number;
  /** Events dead-lettered so far. */
  readonly dead: number;
  /** Events settled for a later retry so far. */
  readonly retries: number;
}

/** What decides whether the flushes waiting can be answered, read at the end of a drain loop. */
export interface FlushFacts {
  /** Whether nothing is due now. */
  readonly nothingDue: boolean;
  /** Why the engine cannot send (offline, unauthorized, forbidden), if it cannot. */
  readonly blockedBy: FlushBlocker | undefined;
  /** Whether the shared rate budget is paused by a 429. */
  readonly rateLimited: boolean;
  /** The totals now. */
  readonly totals: FlushTotals;
  /** Entries leased by others (this engine holds none when a drain loop ends). */
  readonly leasedElsewhere: number;
}

/** The promises handed out by `flush()` (and a draining `stop()`). */
export interface FlushWaiters {
  /**
   * A promise for the end of the flush.
   *
   * @param totals - the totals when the flush started
   * @param waitThroughRateLimit - whether a 429 pause is waited out (`flush`) or ends the flush (`stop` with drain)
   */
  add(totals: FlushTotals, waitThroughRateLimit: boolean): Promise<FlushReport>;
  /** Answer every flush that is done by `facts`. */
  answer(facts: FlushFacts): void;
  /** Reject every waiting flush (the engine stopped). */
  rejectAll(error: Error): void;
}

interface Waiter {
  readonly start: FlushTotals;
  readonly waitThroughRateLimit: boolean;
  resolve(report: FlushReport): void;
  reject(error: Error): void;
}

/** Create an empty set of flush waiters. */
export function createFlushWaiters(): FlushWaiters {
  const waiters = new Set<Waiter>();
  return {
    add(start, waitThroughRateLimit) {
      return new Promise<FlushReport>((resolve, reject) => {
        waiters.add({ start, waitThroughRateLimit, resolve, reject });
      });
    },
    answer(facts) {
      for (const waiter of waiters) {
        if (!isDone(waiter, facts)) continue;
        waiters.delete(waiter);
        waiter.resolve(reportOf(waiter.start, facts));
      }
    },
    rejectAll(error) {
      for (const waiter of waiters) waiter.reject(error);
      waiters.clear();
    },
  };
}

/** Whether a flush is over: blocked, or nothing due (and, for `flush()`, no 429 pause to wait out). */
function isDone(waiter: Waiter, { nothingDue, blockedBy, rateLimited }: FlushFacts): boolean {
  if (blockedBy !== undefined) return true;
  return nothingDue && !(rateLimited && waiter.waitThroughRateLimit);
}

/** What a flush reports: the change of the totals since it started, and what still holds events back. */
function reportOf(start: FlushTotals, { totals, blockedBy, leasedElsewhere }: FlushFacts): FlushReport {
  return {
    delivered: totals.delivered - start.delivered,
    dead: totals.dead - start.dead,
    retrying: totals.retries - start.retries,
    ...(blockedBy === undefined ? {} : { blockedBy }),
    ...(leasedElsewhere > 0 ? { leasedElsewhere } : {}),
  };
}
