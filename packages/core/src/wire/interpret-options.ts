import { headerValue, parseRetryAfter, readRateLimitHeaders } from './rate-limit-headers.js';
import { boundServerDelay } from './server-delay.js';
import type { InterpretContext, RateLimitInfo, RateLimitPolicy } from './types.js';

/**
 * Delays for answers whose wait HubSpot does not always state. Shared by both dialects. These are yours and used as
 * given; a wait the server states (`Retry-After`, the rate-limit interval header) is kept within one second and
 * 24 hours, so a zero, negative or absurd header can neither spin the engine nor park it for good.
 */
export interface InterpretOptions {
  /**
   * Wait after a 423 (HubSpot: "locks last for 2 seconds") when it carries no `Retry-After`.
   * @default 2000
   */
  readonly lockedDelayMs?: number;
  /**
   * Wait after a 477 (migration in progress) when it carries no `Retry-After`.
   * @default 10000
   */
  readonly migrationDelayMs?: number;
  /**
   * Pause after a 429 for the `DAILY` policy without `Retry-After`. The daily budget resets at midnight in the
   * HubSpot account's time zone, which a client cannot know, so the engine probes again after this long.
   * @default 3600000 (one hour)
   */
  readonly dailyLimitDelayMs?: number;
  /**
   * Wait before confirming a batch HubSpot accepted but had not finished (`status: PENDING` or `PROCESSING`):
   * its events are `unknown` with `accepted: true` and this `delayMs`, then read back or re-sent.
   * @default 5000
   */
  readonly confirmDelayMs?: number;
}

/** {@link InterpretOptions} with every default filled in. */
export type ResolvedInterpretOptions = Required<InterpretOptions>;

const DEFAULTS: ResolvedInterpretOptions = {
  lockedDelayMs: 2_000,
  migrationDelayMs: 10_000,
  dailyLimitDelayMs: 60 * 60_000,
  confirmDelayMs: 5_000,
};

/** Default pause for a 429 per policy when neither `Retry-After` nor the interval header says how long. */
const POLICY_DELAY_MS: Record<Exclude<RateLimitPolicy, 'DAILY'>, number> = {
  TEN_SECONDLY_ROLLING: 10_000,
  SECONDLY: 1_000,
  UNKNOWN: 10_000,
};

/**
 * The options with defaults for those absent or given as `undefined`.
 *
 * @param options - What the dialect was created with.
 */
function resolveInterpretOptions(options: InterpretOptions | undefined): ResolvedInterpretOptions {
  return {
    lockedDelayMs: options?.lockedDelayMs ?? DEFAULTS.lockedDelayMs,
    migrationDelayMs: options?.migrationDelayMs ?? DEFAULTS.migrationDelayMs,
    dailyLimitDelayMs: options?.dailyLimitDelayMs ?? DEFAULTS.dailyLimitDelayMs,
    confirmDelayMs: options?.confirmDelayMs ?? DEFAULTS.confirmDelayMs,
  };
}

/** What an answer says about waiting: its `Retry-After`, its rate-limit headers, and the configured defaults. */
export interface AnswerTiming {
  /** `Retry-After` in ms, bounded; `undefined` when absent or unreadable. */
  readonly retryAfterMs: number | undefined;
  /** The `X-HubSpot-RateLimit-*` headers, when present. */
  readonly rateLimit: RateLimitInfo | undefined;
  /** The delay defaults. */
  readonly options: ResolvedInterpretOptions;
}

/**
 * The waits an answer states — `Retry-After` (bounded) and the rate-limit headers — with the delay defaults.
 *
 * @param headers - The answer's headers.
 * @param context - The time, for a `Retry-After` given as a date.
 * @param options - The delay defaults.
 */
export function answerTiming(
  headers: Readonly<Record<string, string>>,
  context: InterpretContext | undefined,
  options: InterpretOptions | undefined,
): AnswerTiming {
  return {
    retryAfterMs: boundServerDelay(parseRetryAfter(headerValue(headers, 'retry-after'), context?.now)),
    rateLimit: readRateLimitHeaders(headers),
    options: resolveInterpretOptions(options),
  };
}

/**
 * How long a 429 pauses the budget when `Retry-After` does not say: the daily default for `DAILY`, else the
 * interval header (bounded), else the policy's window.
 *
 * @param policy - The policy the 429 names.
 * @param timing - The answer's headers and the defaults.
 */
export function rateLimitDelay(policy: RateLimitPolicy, timing: AnswerTiming): number {
  // The interval header describes the short window; it says nothing about when a daily budget resets.
  if (policy === 'DAILY') return timing.options.dailyLimitDelayMs;
  return boundServerDelay(timing.rateLimit?.intervalMs) ?? POLICY_DELAY_MS[policy];
}
