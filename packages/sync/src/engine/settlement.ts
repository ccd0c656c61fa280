import { type EventOutcome, MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import type { ClaimedEntry, Settlement } from '@hubline/outbox';

/** What turning a verdict into a settlement needs to know. */
export interface SettlementPolicy {
  /** Scheduler time now, epoch ms. */
  readonly now: number;
  /** Attempts (counted failures) before giving up with `MAX_ATTEMPTS`. */
  readonly maxAttempts: number;
  /** Delay before retry number `retry` (0 for the first), full jitter included. */
  readonly backoff: (retry: number) => number;
}

/**
 * Turn one event's verdict into what the outbox should record. A retry that counts and uses the last attempt
 * becomes a dead letter keeping HubSpot's last words; a retry without a delay of its own follows the backoff
 * schedule when it counts, and is due at once when it does not (nothing was wrong with the event).
 *
 * @param outcome - the dialect's verdict (never `isolate`: bisection handles those)
 * @param entry - the claimed entry, with the attempts it had already used
 * @param policy - clock, attempt budget and backoff schedule
 */
export function toSettlement(
  outcome: Exclude<EventOutcome, { type: 'isolate' }>,
  entry: ClaimedEntry,
  policy: SettlementPolicy,
): Settlement {
  switch (outcome.type) {
    case 'delivered':
      return { id: entry.id, type: 'delivered', alreadyExisted: outcome.alreadyExisted };
    case 'dead':
      return {
        id: entry.id,
        type: 'dead',
        category: outcome.category,
        message: outcome.message,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
      };
    case 'retry':
    case 'unknown': {
      const attempts = entry.attempts + (outcome.countsAsAttempt ? 1 : 0);
      const status = outcome.status === undefined ? {} : { status: outcome.status };
      if (outcome.countsAsAttempt && attempts >= policy.maxAttempts) {
        return {
          id: entry.id,
          type: 'dead',
          category: MAX_ATTEMPTS_CATEGORY,
          message: `Gave up after ${attempts} attempts; last: ${outcome.reason}`,
          ...status,
        };
      }
      const delayMs = outcome.delayMs ?? (outcome.countsAsAttempt ? policy.backoff(attempts - 1) : 0);
      return {
        id: entry.id,
        type: 'failed',
        reason: outcome.reason,
        countsAsAttempt: outcome.countsAsAttempt,
        nextAttemptAt: policy.now + Math.max(0, delayMs),
        ...status,
      };
    }
  }
}

/**
 * Give entries back without using an attempt: the engine is stopping, paused, or its lease is running out.
 *
 * @param entries - entries still held
 * @param reason - why, for the entry's history
 * @param nextAttemptAt - when they may be claimed again
 * @param status - HubSpot's status when the entries were sent and answered with a signal (429, 401, 403), so that
 *   their history says they reached HubSpot; absent when they were never sent
 */
export function releaseSettlements(
  entries: readonly ClaimedEntry[],
  reason: string,
  nextAttemptAt: number,
  status?: number,
): Settlement[] {
  return entries.map((entry) => ({
    id: entry.id,
    type: 'failed',
    reason,
    countsAsAttempt: false,
    nextAttemptAt,
    ...(status === undefined ? {} : { status }),
  }));
}
