import { distinctUntilChanged, interval, Subscription } from 'rxjs';
import type { DeliveryRegistry, EntryLookup } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import type { ResolvedSyncOptions } from './options.js';
import type { EngineTimers } from './timers.js';

/** What sets the drain loop going, and what the triggers report to. */
export interface TriggerDeps {
  /** The engine's options: the poll interval, the scheduler, `online$`. */
  readonly config: ResolvedSyncOptions;
  /** The engine's named timers (the poll). */
  readonly timers: EngineTimers;
  /** The `whenDelivered` waiters, checked on each poll for events another engine settled. */
  readonly registry: DeliveryRegistry;
  /** Look up an entry (for `whenDelivered` waiters settled by another engine). */
  readonly lookup: EntryLookup;
  /** Read what the store shares with other engines (a budget pause), on each poll. */
  pollStore(): Promise<void>;
  /** Ask for a drain pass. */
  kick(reason: string): void;
  /** Stats may have changed. */
  statsChanged(): void;
  /** `online$` changed. */
  hostOnline(online: boolean): void;
}

/**
 * Subscribe the engine's triggers: new due entries in the store (lingering `batchDelayMs` to gather a fuller request),
 * the poll interval (work from other processes, awaited events settled elsewhere, pauses kept in the store) and
 * the host's `online$`. Unsubscribing the result stops them all.
 *
 * @param deps - the engine around the triggers
 */
export function startTriggers(deps: TriggerDeps): Subscription {
  const { config, timers } = deps;
  const { logger } = config;
  const subscriptions = new Subscription();

  /** Events recorded since the linger timer started. */
  let lingering = 0;
  const onRecorded = (count: number): void => {
    lingering += count;
    if (config.batchDelayMs === 0 || lingering >= config.batchSize) {
      // A full request's worth is waiting (or no linger): send now.
      timers.cancel('linger');
      lingering = 0;
      deps.kick('recorded');
      return;
    }
    if (timers.has('linger')) return;
    timers.at('linger', config.scheduler.now() + config.batchDelayMs, () => {
      lingering = 0;
      deps.kick('recorded');
    });
  };

  const onPoll = (): void => {
    const looked = Promise.all([deps.registry.recheck(deps.lookup), deps.pollStore()]);
    // The app may have closed the outbox before stopping the engine; never crash the process for it.
    looked.catch((error: unknown) =>
      logger.warn('could not poll the store', { error: describeError(error) }),
    );
    deps.statsChanged();
    deps.kick('poll');
  };

  const changes = config.outbox.changes$.subscribe(onRecorded);
  subscriptions.add(() => changes.unsubscribe());
  subscriptions.add(interval(config.pollIntervalMs, config.scheduler).subscribe(onPoll));
  if (config.online$ !== undefined) {
    subscriptions.add(config.online$.pipe(distinctUntilChanged()).subscribe(deps.hostOnline));
  }
  return subscriptions;
}
