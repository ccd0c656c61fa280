import type { SchedulerLike, Subscription } from 'rxjs';

/** The engine's named timers; each runs at most once at a time, and setting one again replaces it. */
export type EngineTimerKey =
  /** The end of an offline, unauthorized or forbidden pause: probe again. */
  | 'pause'
  /** The next entry's due time: look for work. */
  | 'due'
  /** The end of a 429 pause of the shared rate budget. */
  | 'rate-limit'
  /** The end of a backoff, so `status$` leaves `backing-off` on time. */
  | 'backing-off'
  /** The end of the linger after a record (`batchDelayMs`). */
  | 'linger';

/** One timer per {@link EngineTimerKey}, on the engine's scheduler. */
export interface EngineTimers {
  /** Run `work` at scheduler time `time` (at once if past), replacing the timer under `key`. */
  at(key: EngineTimerKey, time: number, work: () => void): void;
  /** Cancel the timer under `key`, if any. */
  cancel(key: EngineTimerKey): void;
  /** Whether a timer under `key` is waiting. */
  has(key: EngineTimerKey): boolean;
  /** Cancel every timer. */
  clear(): void;
}

/**
 * Create the engine's timers.
 *
 * @param scheduler - the engine's time source
 */
export function createEngineTimers(scheduler: SchedulerLike): EngineTimers {
  const timers = new Map<EngineTimerKey, Subscription>();
  const cancel = (key: EngineTimerKey): void => {
    timers.get(key)?.unsubscribe();
    timers.delete(key);
  };
  return {
    at(key, time, work) {
      cancel(key);
      timers.set(
        key,
        scheduler.schedule(
          () => {
            timers.delete(key);
            work();
          },
          Math.max(0, time - scheduler.now()),
        ),
      );
    },
    cancel,
    has: (key) => timers.has(key),
    clear() {
      for (const timer of timers.values()) timer.unsubscribe();
      timers.clear();
    },
  };
}
