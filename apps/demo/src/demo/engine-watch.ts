import type { SyncEngine, SyncStats, SyncStatus } from '@hubline/sync';

/** The engine's latest `status$` and `stats$` values, for reads that cannot wait for the next emission. */
export interface EngineWatch {
  /** The latest status; `idle` before the first. */
  readonly status: SyncStatus;
  /** The latest counts and delivery rate; `undefined` before the first. */
  readonly stats: SyncStats | undefined;
  /** Stop watching; the latest values stay readable. */
  close(): void;
}

/**
 * Watch an engine's status and counts.
 *
 * @param engine - the demo's engine
 * @example
 * ```ts
 * const watch = watchEngine(engine);
 * watch.stats?.deliveryRate;
 * ```
 */
export function watchEngine(engine: Pick<SyncEngine, 'status$' | 'stats$'>): EngineWatch {
  let status: SyncStatus = { state: 'idle' };
  let stats: SyncStats | undefined;
  const subscriptions = [
    engine.status$.subscribe((next) => {
      status = next;
    }),
    engine.stats$.subscribe((next) => {
      stats = next;
    }),
  ];
  return {
    get status() {
      return status;
    },
    get stats() {
      return stats;
    },
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
