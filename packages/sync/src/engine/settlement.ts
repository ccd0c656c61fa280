import type { EventOutcome } from '@hubline/core';
import type { ClaimedEntry, Release, ReleaseReason, Settlement } from '@hubline/core/store';

/** What turning a verdict into a settlement needs to know. */
export interface SettlementPolicy {
  /** The attempt budget, passed to the store: core's attempt policy decides when a known refusal gives up. */
  readonly maxAttempts: number;
  /** Delay before retry number `retry` (0 for the first), full jitter included. */
  readonly backoff: (retry: number) => number;
}

/**
 * Turn one event's verdict into what the store should record. Times are relative: a retry that counts follows the
 * backoff schedule unless the answer said how long to wait, and one that does not count is due at once. The
 * attempt policy is core's: the settlement carries `maxAttempts` and the store dead-letters a known refusal that
 * uses the last attempt; an unknown outcome never gives up by itself (the engine verifies first), nor does any
 * failure of an entry already in doubt (an earlier request may have stored it).
 *
 * @param outcome - the dialect's verdict (never `isolate`: bisection handles those)
 * @param entry - the claimed entry, with the attempts it had already used
 * @param policy - attempt budget and backoff schedule
 */
export function toSettlement(
  outcome: Exclude<EventOutcome, { type: 'isolate' }>,
  entry: ClaimedEntry,
  policy: SettlementPolicy,
): Settlement {
  switch (outcome.type) {
    case 'delivered':
      return {
        id: entry.id,
        type: 'delivered',
        alreadyExisted: outcome.alreadyExisted,
        evidence: outcome.evidence,
      };
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
      const delayMs = outcome.delayMs ?? (outcome.countsAsAttempt ? policy.backoff(attempts - 1) : 0);
      // `outcomeUnknown` is about the event, not this request: once HubSpot may have it, an answer that speaks
      // only for its own request (CANCELED, a 429 turning it away) leaves it in doubt, so it is never given up
      // on that answer but checked (read back, or re-sent until "already exists").
      const inDoubt = outcome.type === 'unknown' || entry.inDoubt;
      return {
        id: entry.id,
        type: 'failed',
        reason: outcome.reason,
        countsAsAttempt: outcome.countsAsAttempt,
        ...(inDoubt ? { outcomeUnknown: true } : {}),
        delayMs: Math.max(0, Math.round(delayMs)),
        maxAttempts: policy.maxAttempts,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
      };
    }
  }
}

/**
 * Give entries back unsent, without using an attempt (`Released` in their histories).
 *
 * @param entries - entries still held
 * @param reason - why: paused, stopping, or not sent for another reason
 * @param detail - the engine's words, for the history
 * @param delayMs - how long until they may be claimed again
 */
export function releasesOf(
  entries: readonly ClaimedEntry[],
  reason: ReleaseReason,
  detail: string,
  delayMs = 0,
): Release[] {
  const delay = Math.max(0, Math.round(delayMs));
  return entries.map((entry) => ({ id: entry.id, reason, detail, ...(delay > 0 ? { delayMs: delay } : {}) }));
}
