import { performance } from 'node:perf_hooks';
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/** Wall time when this module loaded, minus the monotonic clock then: monotonic readings as epoch ms. */
const ORIGIN = Date.now() - performance.now();

/**
 * RxJS's `asyncScheduler` with a monotonic `now()`: epoch ms that never jump when the wall clock is stepped (NTP, a
 * dead RTC battery, a person setting the time), so a pause, a backoff or a lease the engine times runs for its
 * length whatever the wall clock does. Its timers are `asyncScheduler`'s (Node's timers already run on a monotonic
 * clock). Readings start equal to `Date.now()` and drift from it only by the steps the wall clock takes.
 */
export const monotonicScheduler: SchedulerLike = {
  now: () => ORIGIN + performance.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return asyncScheduler.schedule(work, delay, state);
  },
};
