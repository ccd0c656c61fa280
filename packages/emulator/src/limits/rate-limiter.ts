/** The verdict on one request. */
export type RateVerdict =
  | {
      readonly allowed: true;
      /** Requests left in the rolling window after this one. */
      readonly remaining: number;
      /** Requests left today (UTC) after this one; absent when no daily cap applies. */
      readonly dailyRemaining?: number;
    }
  | {
      readonly allowed: false;
      /** The limit that refused it, as HubSpot's 429 body names it in `policyName`. */
      readonly policy: 'TEN_SECONDLY_ROLLING' | 'DAILY';
      /** Requests left today (UTC), 0 when the daily cap refused it; absent when no daily cap applies. */
      readonly dailyRemaining?: number;
    };

/** The budget `peek()` reports: what is left of the window and, with a daily limit, of the day. */
export interface RateBudgetLeft {
  /** Requests left in the rolling window. */
  readonly remaining: number;
  /** Requests left today; present only when a daily limit is set. */
  readonly dailyRemaining?: number;
}

/** Settings the limiter reads on every call, so `setLimits()` takes effect at once. */
export interface RateLimitSettings {
  /** Requests per key in the rolling window. */
  readonly rateLimit: number;
  /** The rolling window, in milliseconds. */
  readonly rateWindowMs: number;
  /** Requests per key per UTC day; no daily policy when absent. */
  readonly dailyLimit?: number;
}

interface Budget {
  /** Arrival times of the accepted requests still inside the window, oldest first, from `head`. */
  times: number[];
  head: number;
  day: number;
  dayCount: number;
}

const dayMs = 86_400_000;

/**
 * HubSpot's per-token rate limits: a rolling window (TEN_SECONDLY_ROLLING) and an optional DAILY count.
 * Refused requests do not use budget. Time comes from the injected clock.
 */
export class RateLimiter {
  readonly #budgets = new Map<string, Budget>();

  /** Counts one request for `key` at `now` if the budget allows it. */
  take(key: string, now: number, settings: RateLimitSettings): RateVerdict {
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = { times: [], head: 0, day: Math.floor(now / dayMs), dayCount: 0 };
      this.#budgets.set(key, budget);
    }
    const since = now - settings.rateWindowMs;
    while (budget.head < budget.times.length && budget.times[budget.head]! <= since) budget.head += 1;
    if (budget.head > 1024) {
      budget.times = budget.times.slice(budget.head);
      budget.head = 0;
    }
    const day = Math.floor(now / dayMs);
    if (day !== budget.day) {
      budget.day = day;
      budget.dayCount = 0;
    }
    const daily = settings.dailyLimit;
    if (daily !== undefined && budget.dayCount >= daily) {
      return { allowed: false, policy: 'DAILY', dailyRemaining: 0 };
    }
    const used = budget.times.length - budget.head;
    if (used >= settings.rateLimit) {
      return daily === undefined
        ? { allowed: false, policy: 'TEN_SECONDLY_ROLLING' }
        : { allowed: false, policy: 'TEN_SECONDLY_ROLLING', dailyRemaining: daily - budget.dayCount };
    }
    budget.times.push(now);
    budget.dayCount += 1;
    const remaining = settings.rateLimit - used - 1;
    return daily === undefined
      ? { allowed: true, remaining }
      : { allowed: true, remaining, dailyRemaining: daily - budget.dayCount };
  }

  /**
   * What `key` has left at `now`, without using any: of the rolling window, and of the day when a daily
   * limit is set (`dailyRemaining` is absent otherwise, as in `take()`'s verdicts).
   */
  peek(key: string, now: number, settings: RateLimitSettings): RateBudgetLeft {
    const budget = this.#budgets.get(key);
    const since = now - settings.rateWindowMs;
    let used = 0;
    let usedToday = 0;
    if (budget !== undefined) {
      for (let i = budget.head; i < budget.times.length; i += 1) if (budget.times[i]! > since) used += 1;
      if (budget.day === Math.floor(now / dayMs)) usedToday = budget.dayCount;
    }
    const remaining = Math.max(0, settings.rateLimit - used);
    const daily = settings.dailyLimit;
    return daily === undefined
      ? { remaining }
      : { remaining, dailyRemaining: Math.max(0, daily - usedToday) };
  }

  /** Forgets every budget. */
  clear(): void {
    this.#budgets.clear();
  }
}
