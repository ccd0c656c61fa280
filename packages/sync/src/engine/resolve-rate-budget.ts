import { createHash } from 'node:crypto';
import type { AccessTokenSource } from '../contracts.js';
import { type HeldRateBudget, holdSharedRateBudget } from '../pacing/shared-rate-budget.js';
import { createStoreRateBudget, type SlotBudgets } from '../pacing/store-rate-budget.js';
import { monotonicScheduler } from '../time/monotonic-scheduler.js';
import { isRateBudget, type ResolvedSyncOptions, SYNC_DEFAULTS } from './options.js';
import { createPauseOnlyBudget } from './pause-only-budget.js';
import type { SyncEngineOptions } from './types.js';

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A stable, secret-free name for an object within this process. */
function identityOf(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity;
    nextIdentity += 1;
    identities.set(value, id);
  }
  return `#${id}`;
}

/**
 * Whose token: the token itself when it is a fixed string (hashed, so the key never holds the secret), otherwise
 * the provider or function object.
 */
function tokenKey(source: AccessTokenSource): string {
  if (typeof source === 'string')
    return `token:${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
  return `source:${identityOf(source)}`;
}

/**
 * The budget an engine paces its requests with: the one given; a pause-only one for `false` (no pacing, but a 429
 * still pauses); otherwise a sliding window shared by every engine in the process with the same base URL, account,
 * token source, limit and scheduler — HubSpot counts per app and account —, its window widened by
 * `rateLimitMarginMs`, held until the engine stops.
 *
 * @param rateLimit - the `rateLimit` option as given
 * @param config - resolved options (base URL, scheduler)
 * @param account - the HubSpot account the budget is for
 * @param tokenSource - the account's token source, as given
 * @param slots - the store's budget slots, when it keeps them: processes sharing the store then share the window
 */
export function resolveRateBudget(
  rateLimit: SyncEngineOptions['rateLimit'],
  config: ResolvedSyncOptions,
  account: string,
  tokenSource: AccessTokenSource,
  slots?: SlotBudgets,
): HeldRateBudget {
  if (isRateBudget(rateLimit)) return { budget: rateLimit, paced: true, release() {} };
  if (rateLimit === false)
    return { budget: createPauseOnlyBudget(config.scheduler), paced: false, release() {} };
  const { requests } = rateLimit ?? SYNC_DEFAULTS.rateLimit;
  const windowMs = (rateLimit ?? SYNC_DEFAULTS.rateLimit).windowMs + config.rateLimitMarginMs;
  const schedulerKey = config.scheduler === monotonicScheduler ? 'monotonic' : identityOf(config.scheduler);
  const key = [
    config.baseUrl,
    `account:${account}`,
    tokenKey(tokenSource),
    `${requests}/${windowMs}ms`,
    schedulerKey,
  ].join('|');
  const held = holdSharedRateBudget(key, { requests, windowMs, scheduler: config.scheduler });
  if (slots === undefined) return held;
  const budget = createStoreRateBudget({
    slots,
    key: account,
    requests,
    windowMs,
    local: held.budget,
    scheduler: config.scheduler,
    logger: config.logger,
  });
  return { budget, paced: true, release: () => held.release() };
}
