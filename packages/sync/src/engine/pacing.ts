import type { Logger, RateLimitPolicy } from '@hubline/core';
import type { BudgetStore } from '@hubline/core/store';
import { defaultIfEmpty, map, type Observable, take, takeUntil } from 'rxjs';
import type { RateBudget, RateGrant } from '../contracts.js';
import { UNCOUNTED_GRANT } from '../pacing/uncounted-grant.js';
import { describeError } from './describe-error.js';

/** What the engine's pacing needs. */
export interface PacingDeps {
  /** The rate budget this lane draws its slots from (shared with every engine on the same account). */
  readonly budget: RateBudget;
  /** The store's shared pauses, when it keeps any: every engine on the store, and the next run, see a 429. */
  readonly shared: BudgetStore | undefined;
  /** The budget's key in the store (the HubSpot account). */
  readonly key: string;
  /** Emits when waits must be abandoned (the engine is stopping). */
  readonly abandon: Observable<void>;
  /** Where pauses and the store's failures are logged. */
  readonly logger: Logger;
  /** Whether the engine is stopping (no new wait starts). */
  stopping(): boolean;
  /** The number of waits or the pause changed: the status may have. */
  changed(): void;
}

/** The engine's side of the rate budget: waits for slots, 429 pauses, and pauses shared through the store. */
export interface Pacing {
  /** A slot of the rate budget, or `undefined` once the engine is stopping. A wait that does not end at once counts in {@link Pacing.waiting}. */
  acquire(): Promise<RateGrant | undefined>;
  /** Waits for a slot that did not end at once. */
  readonly waiting: number;
  /** Why the budget is paused, for the status. */
  readonly reason: string;
  /** HubSpot answered 429: pause the budget, here and in the store. */
  rateLimited(policy: RateLimitPolicy, delayMs: number): Promise<void>;
  /** The budget was paused (here or by another engine in this process). */
  pausedElsewhere(reason: string): void;
  /** Apply a pause another process (or an earlier run) kept in the store. */
  readShared(): Promise<void>;
}

/**
 * Create the engine's pacing.
 *
 * @param deps - the budget, the store's shared pauses and the engine around them
 */
export function createPacing(deps: PacingDeps): Pacing {
  const { budget, shared, key, logger } = deps;
  let waiting = 0;
  let reason = 'rate limited';

  return {
    acquire() {
      if (deps.stopping()) return Promise.resolve(undefined);
      return new Promise<RateGrant | undefined>((resolve) => {
        let counted = false;
        const subscription = budget
          .acquire()
          .pipe(
            // A budget of the app's own may emit nothing: its slots count from the grant.
            map((grant) => grant ?? UNCOUNTED_GRANT),
            takeUntil(deps.abandon),
            defaultIfEmpty(undefined),
            take(1),
          )
          .subscribe((grant) => {
            if (counted) {
              waiting -= 1;
              deps.changed();
            }
            resolve(grant);
          });
        if (!subscription.closed) {
          counted = true;
          waiting += 1;
          deps.changed();
        }
      });
    },
    get waiting() {
      return waiting;
    },
    get reason() {
      return reason;
    },
    async rateLimited(policy, delayMs) {
      reason = `HubSpot said 429 (${policy})`;
      budget.pause(delayMs, reason);
      try {
        await shared?.pause(key, delayMs, reason);
      } catch (error) {
        logger.warn('could not keep the 429 pause in the store', { error: describeError(error) });
      }
    },
    pausedElsewhere(why) {
      reason = why;
    },
    async readShared() {
      const pause = await shared?.pausedFor(key);
      if (pause === undefined) return;
      reason = pause.reason;
      budget.pause(pause.remainingMs, pause.reason);
    },
  };
}
