import { defer, map, Observable, of, type SchedulerLike, Subject, Subscription, timer } from 'rxjs';
import type { RateBudget, RateGrant } from '../contracts.js';
import { UNCOUNTED_GRANT } from '../pacing/uncounted-grant.js';

/**
 * A {@link RateBudget} without pacing, for `rateLimit: false`: every request may go at once, but a 429 still
 * pauses this engine until the window resets, because HubSpot said so.
 *
 * @param scheduler - time source
 */
export function createPauseOnlyBudget(scheduler: SchedulerLike): RateBudget {
  let until = 0;
  const paused = new Subject<{ until: number; reason: string }>();
  const waitForPause = (): Observable<void> =>
    defer(() => {
      const remaining = until - scheduler.now();
      // Re-check after the wait: the pause may have been extended meanwhile.
      return remaining > 0 ? timer(remaining, scheduler).pipe(map(() => undefined)) : of(undefined);
    });
  return {
    acquire: () =>
      new Observable<RateGrant>((subscriber) => {
        const inner = new Subscription();
        const attempt = (): void => {
          if (until > scheduler.now()) {
            inner.add(waitForPause().subscribe({ complete: attempt }));
            return;
          }
          subscriber.next(UNCOUNTED_GRANT);
          subscriber.complete();
        };
        attempt();
        return () => inner.unsubscribe();
      }),
    pause(delayMs, reason) {
      const next = scheduler.now() + Math.max(0, delayMs);
      if (next <= until) return;
      until = next;
      paused.next({ until, reason });
    },
    pausedUntil: () => (until > scheduler.now() ? until : 0),
    paused$: paused.asObservable(),
  };
}
