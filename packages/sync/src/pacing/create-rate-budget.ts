import { ValidationError, type ValidationIssue } from '@hubline/core';
import { asyncScheduler, Observable, Subject, type Subscriber, type Subscription, timer } from 'rxjs';
import type { RateBudget, RateBudgetOptions } from '../contracts.js';

/** Defaults of {@link RateBudgetOptions}: HubSpot's limit for OAuth apps, per app and account. */
export const RATE_BUDGET_DEFAULTS = { requests: 100, windowMs: 10_000 } as const;

interface Waiter {
  readonly subscriber: Subscriber<void>;
}

/**
 * A {@link RateBudget} that lets at most `requests` acquisitions through in any `windowMs` of scheduler time.
 *
 * It keeps a sliding log of the last `requests` grant times: a new grant is allowed when fewer than `requests`
 * grants happened in the last `windowMs` (a grant at `t` stops counting at `t + windowMs`). That is exactly
 * HubSpot's `TEN_SECONDLY_ROLLING` policy, where a token bucket refilled continuously would let up to twice
 * the limit into one rolling window after an idle spell. Waiters are served first come, first served;
 * unsubscribing from `acquire()` before it emits gives up the place. `pause()` holds every waiter, and any
 * later caller, until the pause ends. Nothing is scheduled while nobody waits, so an idle budget never keeps
 * a process alive.
 *
 * @param options - limit, window and the scheduler that supplies time.
 * @throws ValidationError when `requests` or `windowMs` is not a positive integer (the field is named).
 * @example
 * ```ts
 * const budget = createRateBudget({ requests: 100, windowMs: 10_000 });
 * budget.acquire().pipe(switchMap(() => send(batch))).subscribe();
 * // on a 429: budget.pause(10_000, 'TEN_SECONDLY_ROLLING');
 * ```
 */
export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  const requests = options.requests ?? RATE_BUDGET_DEFAULTS.requests;
  const windowMs = options.windowMs ?? RATE_BUDGET_DEFAULTS.windowMs;
  const scheduler = options.scheduler ?? asyncScheduler;
  const issues: ValidationIssue[] = [];
  if (!Number.isSafeInteger(requests) || requests < 1) {
    issues.push({ path: 'requests', message: `must be a positive integer, got ${String(requests)}` });
  }
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
    issues.push({ path: 'windowMs', message: `must be a positive integer, got ${String(windowMs)}` });
  }
  if (issues.length > 0) throw new ValidationError('rate budget options', issues);

  /** Grant times still inside the window, oldest first; never longer than `requests`. */
  const grants: number[] = [];
  const queue: Waiter[] = [];
  const pauses = new Subject<{ readonly until: number; readonly reason: string }>();
  let pausedUntil = 0;
  let wake: { readonly at: number; readonly subscription: Subscription } | undefined;
  let draining = false;

  const cancelWake = (): void => {
    wake?.subscription.unsubscribe();
    wake = undefined;
  };

  const wakeAt = (at: number, now: number): void => {
    if (wake?.at === at) return;
    cancelWake();
    const subscription = timer(Math.max(0, at - now), scheduler).subscribe(() => {
      wake = undefined;
      drain();
    });
    // A timer of 0 on a synchronous scheduler may already have fired and cleared `wake`.
    if (!subscription.closed) wake = { at, subscription };
  };

  function drain(): void {
    // A waiter's `next` may call acquire() again; the loop below already picks up whatever it queued.
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        const head = queue[0];
        if (head === undefined) {
          cancelWake();
          return;
        }
        const now = scheduler.now();
        if (now < pausedUntil) {
          wakeAt(pausedUntil, now);
          return;
        }
        while (grants.length > 0 && (grants[0] as number) + windowMs <= now) grants.shift();
        if (grants.length >= requests) {
          wakeAt((grants[0] as number) + windowMs, now);
          return;
        }
        grants.push(now);
        queue.shift();
        head.subscriber.next();
        head.subscriber.complete();
      }
    } finally {
      draining = false;
    }
  }

  return {
    acquire(): Observable<void> {
      return new Observable<void>((subscriber) => {
        const waiter: Waiter = { subscriber };
        queue.push(waiter);
        drain();
        return () => {
          const index = queue.indexOf(waiter);
          if (index === -1) return;
          queue.splice(index, 1);
          if (queue.length === 0) cancelWake();
        };
      });
    },

    pause(delayMs: number, reason: string): void {
      if (!(delayMs > 0)) return;
      const until = scheduler.now() + delayMs;
      if (!(until > pausedUntil)) return;
      pausedUntil = until;
      pauses.next({ until, reason });
      drain();
    },

    pausedUntil(): number {
      return pausedUntil > scheduler.now() ? pausedUntil : 0;
    },

    paused$: pauses.asObservable(),
  };
}
