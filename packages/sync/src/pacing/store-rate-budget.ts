import type { Logger } from '@hubline/core';
import type { BudgetStore, MaybePromise } from '@hubline/core/store';
import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { RateBudget, RateGrant } from '../contracts.js';
import { describeError } from '../engine/describe-error.js';

/** A store's sliding-window slots: what `BudgetStore` offers when processes share its budgets. */
export interface SlotBudgets {
  /** Take a slot of `key`'s window if one is free, else say how long until one is. */
  take(key: string, limit: SlotLimit): MaybePromise<SlotTaken>;
  /** The request leaves now: the slot counts from now. */
  use(key: string, slot: string): MaybePromise<void>;
  /** The slot was not used: free it. */
  giveBack(key: string, slot: string): MaybePromise<void>;
}

/** A sliding window's limit. */
export interface SlotLimit {
  /** Requests per window. */
  readonly requests: number;
  /** The window, ms. */
  readonly windowMs: number;
}

/** A slot taken, or how long until one is free. */
export type SlotTaken =
  | {
      /** The slot's id, for `use` and `giveBack`. */
      readonly slot: string;
    }
  | {
      /** Ms until a slot may be free. */
      readonly waitMs: number;
    };

/** Whether a store's budgets keep slots (processes sharing the store then share each account's window). */
export function hasSlots(budgets: BudgetStore | undefined): budgets is BudgetStore & SlotBudgets {
  const candidate = budgets as Partial<SlotBudgets> | undefined;
  return (
    typeof candidate?.take === 'function' &&
    typeof candidate.use === 'function' &&
    typeof candidate.giveBack === 'function'
  );
}

/** What a store-kept budget needs. */
export interface StoreRateBudgetOptions {
  /** The store's slots. */
  readonly slots: SlotBudgets;
  /** The budget's key in the store: the HubSpot account. */
  readonly key: string;
  /** Requests per window. */
  readonly requests: number;
  /** The window, ms. */
  readonly windowMs: number;
  /** The budget kept in this process, whose pauses this one shares and whose slots come first. */
  readonly local: RateBudget;
  /** When to ask the store again after a wait or a failure. */
  readonly scheduler: SchedulerLike;
  /** Where a store that fails to answer is reported. */
  readonly logger: Logger;
}

/** How long to wait before asking a store that failed again. */
const RETRY_AFTER_FAILURE_MS = 250;

/**
 * A {@link RateBudget} kept in the store as well as in this process: a slot of this process's budget first (engines
 * in the process share it), then one of the store's window (every process on the store shares that), so several
 * processes draining one outbox file keep HubSpot's limit together. Pauses are the local budget's (a 429 is kept in
 * the store separately, as a pause). A store that fails to answer is asked again shortly; nothing is sent meanwhile.
 *
 * @param options - the store's slots, the key and limit, and the local budget
 */
export function createStoreRateBudget(options: StoreRateBudgetOptions): RateBudget {
  const { slots, key, local, scheduler, logger } = options;
  const limit = { requests: options.requests, windowMs: options.windowMs };

  const giveBackQuietly = (slot: string): void => {
    Promise.resolve()
      .then(() => slots.giveBack(key, slot))
      .catch((error: unknown) =>
        logger.warn('could not give a slot back to the budget kept in the store', {
          error: describeError(error),
        }),
      );
  };

  const storeSlot = (): Observable<string> =>
    new Observable<string>((subscriber) => {
      let timer: Subscription | undefined;
      const onTaken = (taken: SlotTaken): void => {
        if ('waitMs' in taken) {
          if (!subscriber.closed) timer = scheduler.schedule(attempt, Math.max(1, Math.ceil(taken.waitMs)));
        } else if (subscriber.closed) {
          giveBackQuietly(taken.slot);
        } else {
          subscriber.next(taken.slot);
          subscriber.complete();
        }
      };
      const onFailed = (error: unknown): void => {
        logger.warn('could not take a slot of the budget kept in the store', { error: describeError(error) });
        if (!subscriber.closed) timer = scheduler.schedule(attempt, RETRY_AFTER_FAILURE_MS);
      };
      function attempt(): void {
        Promise.resolve()
          .then(() => slots.take(key, limit))
          .then(onTaken, onFailed);
      }
      attempt();
      return () => timer?.unsubscribe();
    });

  return {
    acquire: () =>
      new Observable<RateGrant>((subscriber) => {
        let localGrant: RateGrant | undefined;
        let inner: Subscription | undefined;
        let handedOut = false;
        const outer = local.acquire().subscribe((grant) => {
          localGrant = grant;
          inner = storeSlot().subscribe((slot) => {
            handedOut = true;
            subscriber.next(bothGrants(localGrant, slots, key, slot));
            subscriber.complete();
          });
        });
        return () => {
          outer.unsubscribe();
          inner?.unsubscribe();
          if (!handedOut) localGrant?.release();
        };
      }),
    pause: (delayMs, reason) => local.pause(delayMs, reason),
    pausedUntil: () => local.pausedUntil(),
    paused$: local.paused$,
    observe: (info) => local.observe?.(info),
  };
}

/** One grant over a local slot and a store slot: both count from the same moment, or both are given back. */
function bothGrants(local: RateGrant | undefined, slots: SlotBudgets, key: string, slot: string): RateGrant {
  let settled = false;
  const ignore = (): void => {};
  return {
    use() {
      if (settled) return;
      settled = true;
      local?.use();
      void Promise.resolve()
        .then(() => slots.use(key, slot))
        .catch(ignore);
    },
    release() {
      if (settled) return;
      settled = true;
      local?.release();
      void Promise.resolve()
        .then(() => slots.giveBack(key, slot))
        .catch(ignore);
    },
  };
}
