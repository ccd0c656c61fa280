import type { RateLimitSettings } from '../limits/rate-limiter.js';
import type { RequestState } from './request-log.js';
import type { Runtime } from './runtime.js';

/**
 * The budget a request's answer reports: its credential's (the account's, once known at arrival or by auth),
 * else the emulator's default limits with nothing spent.
 */
function budgetOf(
  rt: Runtime,
  state: RequestState,
): { settings: RateLimitSettings; remaining: number; dailyRemaining?: number } {
  const budget = state.budget;
  const settings = budget?.settings ?? rt.accounts.defaults;
  const rate =
    state.rate ?? (budget === undefined ? undefined : rt.limiter.peek(budget.key, rt.clock(), settings));
  if (rate === undefined) {
    return settings.dailyLimit === undefined
      ? { settings, remaining: settings.rateLimit }
      : { settings, remaining: settings.rateLimit, dailyRemaining: settings.dailyLimit };
  }
  return { settings, ...rate };
}

/**
 * HubSpot's rate-limit headers for one answer: `X-HubSpot-RateLimit-Max`, `-Remaining`,
 * `-Interval-Milliseconds`, and with a daily cap `-Daily` and `-Daily-Remaining`, of the request's account.
 */
export function rateHeaders(rt: Runtime, state: RequestState): Record<string, string> {
  const { settings, remaining, dailyRemaining } = budgetOf(rt, state);
  const headers: Record<string, string> = {
    'x-hubspot-ratelimit-max': String(settings.rateLimit),
    'x-hubspot-ratelimit-remaining': String(remaining),
    'x-hubspot-ratelimit-interval-milliseconds': String(settings.rateWindowMs),
  };
  if (settings.dailyLimit !== undefined) {
    headers['x-hubspot-ratelimit-daily'] = String(settings.dailyLimit);
    if (dailyRemaining !== undefined) headers['x-hubspot-ratelimit-daily-remaining'] = String(dailyRemaining);
  }
  return headers;
}
