import type { RateBudget, RateBudgetOptions } from '../contracts.js';
import { createRateBudget } from './create-rate-budget.js';

/**
 * Kept on `globalThis` under a registered symbol so that two copies of this package in one process (a
 * duplicated dependency) still share HubSpot's one budget per app and account.
 */
const REGISTRY_KEY = Symbol.for('@hubline/sync/shared-rate-budgets');

function registry(): Map<string, RateBudget> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, RateBudget> };
  holder[REGISTRY_KEY] ??= new Map<string, RateBudget>();
  return holder[REGISTRY_KEY];
}

/**
 * The process-wide {@link RateBudget} for `key`, created with `options` on first use. Every engine that
 * passes the same key (base URL plus app and account identity) paces against, and pauses with, the same
 * budget, as HubSpot counts their requests together.
 *
 * Later calls with the same key return the existing budget and ignore their `options`: the limit belongs
 * to the key, not to the caller.
 *
 * @param key - identifies one HubSpot rate limit, e.g. `https://api.hubapi.com|app:123|portal:456`.
 * @param options - limit, window and scheduler used if the budget does not exist yet.
 * @example
 * ```ts
 * const rateLimit = sharedRateBudget(`${baseUrl}|app:${appId}|portal:${portalId}`, { requests: 100 });
 * const a = createSyncEngine({ outbox: outboxA, accessToken, rateLimit });
 * const b = createSyncEngine({ outbox: outboxB, accessToken, rateLimit });
 * ```
 */
export function sharedRateBudget(key: string, options: RateBudgetOptions = {}): RateBudget {
  const budgets = registry();
  let budget = budgets.get(key);
  if (budget === undefined) {
    budget = createRateBudget(options);
    budgets.set(key, budget);
  }
  return budget;
}
