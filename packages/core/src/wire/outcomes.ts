import type { HubSpotErrorBody } from './hubspot-error-body.js';
import type { DeliveryEvidence, EventOutcome, GlobalSignal, Interpretation, RateLimitInfo } from './types.js';

/**
 * The dead-letter category of a lone event HubSpot answered 413: too large to send even alone. The one
 * definition; the engine matches on it.
 */
export const PAYLOAD_TOO_LARGE_CATEGORY = 'PAYLOAD_TOO_LARGE';

/** How to re-send an event: whether it uses an attempt, how long to wait, why, and the status answered. */
export interface ResendTerms {
  /** Whether this uses up one of the entry's attempts. */
  readonly countsAsAttempt: boolean;
  /** Why, for the entry's history. */
  readonly reason: string;
  /** The HTTP status, when something answered. */
  readonly status?: number | undefined;
  /** Wait at least this long, ms; absent: follow the backoff schedule. */
  readonly delayMs?: number | undefined;
}

/**
 * `delivered`, with what proved it.
 *
 * @param id - The event's id.
 * @param evidence - What proved it; `already-exists` also sets `alreadyExisted`.
 */
export function delivered(id: string, evidence: DeliveryEvidence): EventOutcome {
  return { type: 'delivered', id, alreadyExisted: evidence === 'already-exists', evidence };
}

/**
 * `retry`: HubSpot did not take the event.
 *
 * @param id - The event's id.
 * @param terms - Attempt, reason, status and delay.
 */
export function retry(id: string, terms: ResendTerms): EventOutcome {
  return { type: 'retry', id, ...resendFields(terms) };
}

/**
 * `unknown`: HubSpot may have the event.
 *
 * @param id - The event's id.
 * @param terms - Attempt, reason, status and delay.
 * @param accepted - HubSpot said it accepted the batch but has not finished it.
 */
export function unknown(id: string, terms: ResendTerms, accepted = false): EventOutcome {
  return { type: 'unknown', id, ...resendFields(terms), ...(accepted ? { accepted: true } : {}) };
}

/**
 * `isolate`: re-send in a smaller batch.
 *
 * @param id - The event's id.
 * @param reason - Why the batch was refused.
 * @param status - The HTTP status of the refusal.
 */
export function isolate(id: string, reason: string, status: number): EventOutcome {
  return { type: 'isolate', id, reason, status };
}

/**
 * `dead`, with HubSpot's category and message, or `HTTP_<status>` / `HTTP <status>` when it gave none.
 *
 * @param id - The event's id.
 * @param status - The HTTP status of the refusal.
 * @param error - HubSpot's error fields.
 */
export function deadFrom(id: string, status: number, error: HubSpotErrorBody): EventOutcome {
  return {
    type: 'dead',
    id,
    category: error.category ?? `HTTP_${status}`,
    message: error.message ?? `HTTP ${status}`,
    status,
  };
}

/**
 * An interpretation without `undefined` fields.
 *
 * @param outcomes - One per event sent, in order.
 * @param signal - The global signal, if any.
 * @param rateLimit - The rate-limit headers, if any.
 */
export function interpretation(
  outcomes: EventOutcome[],
  signal: GlobalSignal | undefined,
  rateLimit: RateLimitInfo | undefined,
): Interpretation {
  return {
    outcomes,
    ...(signal === undefined ? {} : { signal }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
  };
}

function resendFields(terms: ResendTerms) {
  return {
    countsAsAttempt: terms.countsAsAttempt,
    reason: terms.reason,
    ...(terms.status === undefined ? {} : { status: terms.status }),
    ...(terms.delayMs === undefined ? {} : { delayMs: terms.delayMs }),
  };
}
