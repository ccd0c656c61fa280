import type { OutboxEntry } from '@hubline/outbox';
import { distinctUntilChanged, interval, Subscription } from 'rxjs';
import type { RateBudget } from '../contracts.js';
import type { DeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import type { ResolvedSyncOptions } from './options.js';
import type { EngineTimers } from './timers.js';

/** What sets the drain loop going, and what the triggers report to. */
export interface TriggerDeps {
  readonly config: ResolvedSyncOptions;
  readonly timers: EngineTimers;
  readonly budget: RateBudget;
  readonly registry: DeliveryRegistry;
  /** Look up an entry (for `whenDelivered` waiters settled by another engine). */
  lookup(id: string): OutboxEntry | undefined;
  /** Ask for a drain pass. */
  kick(reason: string): void;
  /** Stats may have changed. */
  statsChanged(): void;
  /** The shared rate budget was paused by a 429 (here or in another engine). */
  rateLimited(until: number, reason: string): void;
  /** `online$` changed. */
  hostOnline(online: boolean): void;
}

/**
 * Subscribe the engine's triggers: records in the outbox (lingering `batchDelayMs` to gather a fuller request),
 * the poll interval (work from other processes, awaited events settled elsewhere), the shared budget's pauses and
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
    try {
      deps.registry.recheck(deps.lookup);
    } catch (error) {
      // The app may have closed the outbox before stopping the engine; never crash the process for it.
      logger.warn('could not look up awaited events', { error: describeError(error) });
    }
    deps.statsChanged();
    deps.kick('poll');
  };

  subscriptions.add(config.outbox.recorded$.subscribe(onRecorded));
  subscriptions.add(interval(config.pollIntervalMs, config.scheduler).subscribe(onPoll));
  subscriptions.add(deps.budget.paused$.subscribe(({ until, reason }) => deps.rateLimited(until, reason)));
  if (config.online$ !== undefined) {
    subscriptions.add(config.online$.pipe(distinctUntilChanged()).subscribe(deps.hostOnline));
  }
  return subscriptions;
}
