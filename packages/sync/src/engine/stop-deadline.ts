import type { SchedulerLike, Subscription } from 'rxjs';

/** The deadline of a stopping engine: the earliest of every `timeoutMs` that stop() was given. */
export interface StopDeadline {
  /** Fire `timeoutMs` from now (scheduler time) unless an earlier deadline is set; `0` fires at once. */
  set(timeoutMs: number): void;
  /** Whether the deadline has fired. */
  passed(): boolean;
  /** Resolves when the deadline fires (never, if it does not). */
  readonly reached: Promise<void>;
  /** Cancel a deadline that has not fired. */
  cancel(): void;
}

/**
 * Create the deadline a stopping engine keeps. A later call to `set` can bring the deadline closer, never push it
 * back, so a second stop request (a second Ctrl-C) only ever hurries the first.
 *
 * @param scheduler - the engine's time source
 * @param onDeadline - what to do when it fires (abort requests in flight); called at most once
 */
export function createStopDeadline(scheduler: SchedulerLike, onDeadline: () => void): StopDeadline {
  let fired = false;
  let at = Number.POSITIVE_INFINITY;
  let timer: Subscription | undefined;
  let resolveReached: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    resolveReached = resolve;
  });
  const fire = (): void => {
    if (fired) return;
    fired = true;
    timer = undefined;
    onDeadline();
    resolveReached();
  };
  return {
    set(timeoutMs) {
      const next = scheduler.now() + timeoutMs;
      if (fired || next >= at) return;
      at = next;
      timer?.unsubscribe();
      if (timeoutMs === 0) fire();
      else timer = scheduler.schedule(fire, timeoutMs);
    },
    passed: () => fired,
    reached,
    cancel() {
      timer?.unsubscribe();
      timer = undefined;
    },
  };
}
