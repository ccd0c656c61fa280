import { ValidationError } from '../errors/validation-error.js';

/** Options of {@link backoffDelay} and {@link createBackoff}. */
export interface BackoffOptions {
  /**
   * The ceiling of the first retry's delay; each retry doubles it.
   * @default 1000
   */
  readonly baseMs?: number;
  /**
   * The largest ceiling: no delay is ever longer.
   * @default 300000 (five minutes)
   */
  readonly maxMs?: number;
  /**
   * A source of uniform numbers in [0, 1). Inject a seeded one for reproducible runs and tests.
   * @default Math.random
   */
  readonly random?: () => number;
}

/** A retry schedule: the delay in milliseconds before retry number `attempt` (0 for the first retry). */
export type Backoff = (attempt: number) => number;

/**
 * The delay before a retry: capped exponential backoff with full jitter, i.e. a whole number of
 * milliseconds drawn uniformly from [0, min(maxMs, baseMs · 2^attempt)]. Full jitter spreads the retries of
 * many devices that failed together (a HubSpot outage) instead of having them return in step.
 *
 * @param attempt - 0 for the first retry, 1 for the second, …; negative or non-integer values are floored at 0.
 * @param options - Base, cap and random source.
 * @returns The delay in milliseconds.
 * @throws {ValidationError} when `baseMs` or `maxMs` is not a finite non-negative number.
 *
 * @example
 * ```ts
 * backoffDelay(3, { random: () => 0.5 }); // 4000: half of min(300000, 1000 · 2³)
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  return createBackoff(options)(attempt);
}

/**
 * A retry schedule with fixed options, validated once.
 *
 * @param options - Base, cap and random source.
 * @returns A function from the retry number to its delay, as {@link backoffDelay}.
 * @throws {ValidationError} when `baseMs` or `maxMs` is not a finite non-negative number.
 *
 * @example
 * ```ts
 * const backoff = createBackoff({ baseMs: 500, maxMs: 60_000 });
 * const delayMs = backoff(entry.attempts - 1);
 * ```
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const { baseMs = 1000, maxMs = 5 * 60_000, random = Math.random } = options;
  const issues = [
    ...(isDuration(baseMs) ? [] : [{ path: 'baseMs', message: 'must be a finite number ≥ 0' }]),
    ...(isDuration(maxMs) ? [] : [{ path: 'maxMs', message: 'must be a finite number ≥ 0' }]),
  ];
  if (issues.length > 0) throw new ValidationError('backoff options', issues);
  return (attempt) => {
    const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : attempt > 0 ? 1024 : 0;
    // 2 ** 1024 is Infinity, which Math.min caps; no overflow to worry about.
    const ceiling = Math.floor(Math.min(maxMs, baseMs * 2 ** exponent));
    const draw = random();
    // Clamp a misbehaving source so the delay stays within [0, ceiling].
    const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1 - Number.EPSILON) : 0;
    return Math.floor(unit * (ceiling + 1));
  };
}

function isDuration(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
