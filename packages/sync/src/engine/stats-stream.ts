import type { Logger } from '@hubline/core';
import type { DeliveryStore, OutboxStats } from '@hubline/core/store';
import { concatMap, filter, type Observable, type SchedulerLike, throttleTime } from 'rxjs';
import { describeError } from './describe-error.js';
import type { CountersView } from './engine-counters.js';
import type { SyncStats } from './types.js';

/** What the engine's stats are read from. */
export interface StatsSource {
  /** The store whose counts the stats start from. */
  readonly store: DeliveryStore;
  /** What the engine (or one account's lane) counted. */
  readonly counters: CountersView;
  /** Where a store that cannot answer is logged. */
  readonly logger: Logger;
  /** Scheduler time now. */
  now(): number;
}

/**
 * The store's counts plus what this engine did, or `undefined` when the store cannot say (closed under the
 * engine: logged, never thrown).
 *
 * @param source - the store, the counters and a clock
 * @param account - one account's counts (with `source.counters` that account's), or every account's
 */
export async function readStats(source: StatsSource, account?: string): Promise<SyncStats | undefined> {
  try {
    return withCounters(await source.store.stats(account), source.counters, source.now());
  } catch (error) {
    source.logger.warn('could not read the store stats', { error: describeError(error) });
    return undefined;
  }
}

/**
 * The store's counts with what the engine counted added.
 *
 * @param base - the store's counts
 * @param counters - the engine's (or one account's) counters
 * @param now - the time the delivery rate ends at
 */
export function withCounters(base: OutboxStats, counters: CountersView, now: number): SyncStats {
  return {
    ...base,
    requests: counters.requests,
    rateLimited: counters.rateLimited,
    retries: counters.retries,
    deliveredByEngine: counters.delivered,
    deadByEngine: counters.dead,
    confirming: counters.confirming,
    deliveryRate: counters.deliveryRate(now),
  };
}

/**
 * Stats read at most once per `intervalMs` while something changes (the first change at once, the last one
 * too), in order.
 *
 * @param changes - emits whenever the counts may have changed
 * @param source - the store, the counters and a clock
 * @param intervalMs - the least time between two values
 * @param scheduler - the engine's time source
 */
export function statsStream(
  changes: Observable<void>,
  source: StatsSource,
  intervalMs: number,
  scheduler: SchedulerLike,
): Observable<SyncStats> {
  return changes.pipe(
    throttleTime(intervalMs, scheduler, { leading: true, trailing: true }),
    concatMap(() => readStats(source)),
    filter((value): value is SyncStats => value !== undefined),
  );
}
