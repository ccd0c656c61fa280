import { ValidationError } from '@hubline/core';
import { MAX_DELAY_MS } from '@hubline/core/store';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { StopOptions } from './types.js';

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

/**
 * Check `stop()`'s options: a `timeoutMs` is a number of ms a timer can take.
 *
 * @param options - what `stop()` was given
 * @throws ValidationError naming `timeoutMs`
 */
export function assertStopOptions(options: StopOptions): void {
  const { timeoutMs } = options;
  if (timeoutMs === undefined || (Number.isFinite(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_DELAY_MS))
    return;
  throw new ValidationError('stop options', [
    {
      path: 'timeoutMs',
      message: `must be a number of ms from 0 to ${MAX_DELAY_MS}, got ${String(timeoutMs)}`,
    },
  ]);
}
