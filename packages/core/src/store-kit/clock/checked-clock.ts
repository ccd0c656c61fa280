import { ValidationError } from '../../errors/validation-error.js';

/**
 * Wraps a store's injected clock so that a reading which is not a whole epoch-ms number (NaN from a broken mock,
 * a fraction, a string from an untyped caller) is refused where it enters, as a `VALIDATION_FAILED` naming
 * `clock`. Unchecked, such a time would reach the lifecycle rules, which refuse it as an invalid event, and
 * `settle` would report every lease as lost.
 *
 * @param clock - the clock from the store's options
 * @param subject - what the error names, e.g. `outbox clock`
 * @returns a clock that returns the same readings, or throws on a reading that is not a safe integer
 */
export function checkedClock(clock: () => number, subject = 'outbox clock'): () => number {
  return () => {
    const now = clock();
    if (!Number.isSafeInteger(now)) {
      throw new ValidationError(subject, [
        { path: 'clock', message: `must return whole epoch milliseconds, returned ${String(now)}` },
      ]);
    }
    return now;
  };
}
