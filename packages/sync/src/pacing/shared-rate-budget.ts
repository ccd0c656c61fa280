import type { SchedulerLike } from 'rxjs';
import type { RateBudget, RateBudgetOptions } from '../contracts.js';
import { monotonicScheduler } from '../time/monotonic-scheduler.js';
import { createRateBudget, RATE_BUDGET_DEFAULTS } from './create-rate-budget.js';

/**
 * Kept on `globalThis` under a registered symbol so that two copies of this package in one process (a
 * duplicated dependency) still share HubSpot's one budget per app and account.
 */
const REGISTRY_KEY = Symbol.for('@hubline/sync/shared-rate-budgets');

/** A budget in the registry and who holds it. */
interface Entry {
  /** The budget, shared with every engine in the process that uses the same key. */
  readonly budget: RateBudget;
  readonly scheduler: SchedulerLike;
  readonly windowMs: number;
  /** Engines holding it; `Infinity` once handed out by {@link sharedRateBudget} (the app owns it). */
  holders: number;
  /** When, with no holder left, its last slot and pause are over and it can be forgotten. */
  quietAt: number;
}

function registry(): Map<string, Entry> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, Entry> };
  holder[REGISTRY_KEY] ??= new Map<string, Entry>();
  return holder[REGISTRY_KEY];
}

/** Forgets budgets nobody holds whose last slot and pause are over: the registry stays as large as its use. */
function sweep(budgets: Map<string, Entry>): void {
  for (const [key, entry] of budgets) {
    if (entry.holders === 0 && entry.scheduler.now() >= entry.quietAt) budgets.delete(key);
  }
}

function entryFor(key: string, options: RateBudgetOptions): Entry {
  const budgets = registry();
  sweep(budgets);
  let entry = budgets.get(key);
  if (entry === undefined) {
    const scheduler = options.scheduler ?? monotonicScheduler;
    entry = {
      budget: createRateBudget(options),
      scheduler,
      windowMs: options.windowMs ?? RATE_BUDGET_DEFAULTS.windowMs,
      holders: 0,
      quietAt: 0,
    };
    budgets.set(key, entry);
  }
  return entry;
}

/**
 * The process-wide {@link RateBudget} for `key`, created with `options` on first use. Every engine that
 * passes the same key (base URL plus app and account identity) paces against, and pauses with, the same
 * budget, as HubSpot counts their requests together. A budget handed out here lives as long as the process;
 * the ones engines share by themselves are forgotten once no engine holds them and their window has passed.
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
  const entry = entryFor(key, options);
  entry.holders = Number.POSITIVE_INFINITY;
  return entry.budget;
}

/** A shared budget held by one engine until it lets go. */
export interface HeldRateBudget {
  /** The budget, shared with every engine in the process that uses the same key. */
  readonly budget: RateBudget;
  /**
   * Whether a slot may have to be waited for. Not for `rateLimit: false`, whose budget only holds back during a
   * 429's pause; a budget of the app's own may wait.
   */
  readonly paced: boolean;
  /** The engine stopped: once no engine holds the budget and its window has passed, the registry forgets it. */
  release(): void;
}

/**
 * Hold the process-wide budget for `key` (see {@link sharedRateBudget}) for one engine's lifetime.
 *
 * @param key - identifies one HubSpot rate limit
 * @param options - limit, window and scheduler used if the budget does not exist yet
 */
export function holdSharedRateBudget(key: string, options: RateBudgetOptions): HeldRateBudget {
  const entry = entryFor(key, options);
  entry.holders += 1;
  let released = false;
  return {
    budget: entry.budget,
    paced: true,
    release() {
      if (released) return;
      released = true;
      entry.holders -= 1;
      const now = entry.scheduler.now();
      entry.quietAt = Math.max(entry.quietAt, now + entry.windowMs, entry.budget.pausedUntil());
    },
  };
}

/** How many budgets the registry holds now (for tests of its lifetime). */
export function sharedRateBudgetCount(): number {
  const budgets = registry();
  sweep(budgets);
  return budgets.size;
}
