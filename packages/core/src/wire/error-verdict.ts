import { isAlreadyExists } from './already-exists.js';
import { errorMessages } from './error-attribution.js';
import { type HubSpotErrorBody, readErrorObject, stringField } from './hubspot-error-body.js';
import { type AnswerTiming, rateLimitDelay } from './interpret-options.js';
import { deadFrom, delivered, type ResendTerms, retry, unknown } from './outcomes.js';
import { readRateLimitPolicy } from './rate-limit-headers.js';
import type { EventOutcome } from './types.js';

/** What one error of a batch answer says about the events it is about. */
export type ErrorVerdict =
  /** The event's id already exists: HubSpot has it. */
  | { readonly kind: 'exists' }
  /**
   * Not a verdict on the event but a "not now": 423, 429, 477 (HubSpot did not take it: `retry`) or a server
   * error (it may have: `unknown`).
   */
  | {
      readonly kind: 'transient';
      /** `retry` when HubSpot did not take the event, `unknown` when it may have. */
      readonly outcome: 'retry' | 'unknown';
      /** How to re-send it. */
      readonly terms: ResendTerms;
    }
  /** HubSpot refused the event: dead-letter it with HubSpot's words. */
  | {
      readonly kind: 'refusal';
      /** HubSpot's error fields. */
      readonly error: HubSpotErrorBody;
    };

/**
 * Judge one error object of a batch answer. "Already exists" first (it proves delivery), then a transient error —
 * its own status 423, 429, 477 or 5xx, or category `RATE_LIMITS` or `INTERNAL_ERROR`, timed and counted as the
 * answer table's row for that status, `Retry-After` winning — and anything else is a refusal.
 *
 * @param item - The parsed error.
 * @param ids - The sent ids it names (a message saying one of them "already exists" counts).
 * @param answerStatus - The status of the whole answer, for the reason.
 * @param timing - `Retry-After`, rate-limit headers and delay defaults.
 */
export function judgeError(
  item: Record<string, unknown>,
  ids: readonly string[],
  answerStatus: number,
  timing: AnswerTiming,
): ErrorVerdict {
  const error = readErrorObject(item);
  const status = ownStatus(item.status);
  const exists = isAlreadyExists({
    ...(status === undefined ? { status: stringField(item.status) } : { status }),
    ...(error.category === undefined ? {} : { category: error.category }),
    ...(error.subCategory === undefined ? {} : { subCategory: error.subCategory }),
    messages: errorMessages(item),
    ids,
  });
  if (exists) return { kind: 'exists' };
  const schedule = transientSchedule(status, error, timing);
  if (schedule === undefined) return { kind: 'refusal', error };
  const named = error.category ?? `HTTP ${status}`;
  const detail = error.message === undefined ? named : `${named}: ${error.message}`;
  return {
    kind: 'transient',
    outcome: schedule.outcome,
    terms: {
      countsAsAttempt: schedule.countsAsAttempt,
      delayMs: schedule.delayMs,
      status: answerStatus,
      reason: `HTTP ${answerStatus}, error for this event: ${detail}`,
    },
  };
}

/**
 * The outcome an error's verdict gives one event.
 *
 * @param id - The event's id.
 * @param verdict - The error's verdict.
 * @param answerStatus - The status of the whole answer.
 */
export function outcomeOf(id: string, verdict: ErrorVerdict, answerStatus: number): EventOutcome {
  switch (verdict.kind) {
    case 'exists':
      return delivered(id, 'already-exists');
    case 'transient':
      return verdict.outcome === 'retry' ? retry(id, verdict.terms) : unknown(id, verdict.terms);
    case 'refusal':
      return deadFrom(id, answerStatus, verdict.error);
  }
}

interface TransientSchedule {
  readonly outcome: 'retry' | 'unknown';
  readonly countsAsAttempt: boolean;
  readonly delayMs: number | undefined;
}

function transientSchedule(
  status: number | undefined,
  error: HubSpotErrorBody,
  timing: AnswerTiming,
): TransientSchedule | undefined {
  const { retryAfterMs, options } = timing;
  const category = error.category?.toUpperCase();
  if (status === 423) {
    return { outcome: 'retry', countsAsAttempt: false, delayMs: retryAfterMs ?? options.lockedDelayMs };
  }
  if (status === 477) {
    return { outcome: 'retry', countsAsAttempt: false, delayMs: retryAfterMs ?? options.migrationDelayMs };
  }
  if (status === 429 || category === 'RATE_LIMITS') {
    const policy = readRateLimitPolicy(error.policyName, error.message);
    return {
      outcome: 'retry',
      countsAsAttempt: false,
      delayMs: retryAfterMs ?? rateLimitDelay(policy, timing),
    };
  }
  const serverError = status !== undefined && status >= 500 && status <= 599;
  if (serverError || category === 'INTERNAL_ERROR') {
    return { outcome: 'unknown', countsAsAttempt: true, delayMs: retryAfterMs };
  }
  return undefined;
}

/** An error's own HTTP status, given as a number or as digits (StandardError types `status` as a string). */
function ownStatus(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'string' && /^\s*\d{3}\s*$/.test(value) ? Number(value) : undefined;
}
