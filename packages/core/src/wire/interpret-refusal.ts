import { utf8ByteLength } from '../event/event-byte-length.js';
import { isAlreadyExists } from './already-exists.js';
import { connectionSignal } from './connection-signal.js';
import { attributeError, detailMessages } from './error-attribution.js';
import { type HubSpotErrorBody, isJsonObject, parseJsonSafely } from './hubspot-error-body.js';
import type { AnswerTiming } from './interpret-options.js';
import {
  deadFrom,
  delivered,
  interpretation,
  isolate,
  PAYLOAD_TOO_LARGE_CATEGORY,
  retry,
  unknown,
} from './outcomes.js';
import type { EventOutcome, GlobalSignal, Interpretation, InterpretContext, SentEvent } from './types.js';

/** The parts of a non-2xx answer that its reading needs. */
export interface Refusal {
  /** The HTTP status (not 2xx). */
  readonly status: number;
  /** The raw body. */
  readonly body: string;
  /** HubSpot's error fields read from the body. */
  readonly error: HubSpotErrorBody;
  /** `Retry-After`, rate-limit headers and delay defaults. */
  readonly timing: AnswerTiming;
  /** The request size for a 413, and the time. */
  readonly context: InterpretContext | undefined;
  /** Whether the API accepts none of a refused batch and names events in its error bodies (2026-03). */
  readonly allOrNothing: boolean;
}

/**
 * A non-2xx answer, as the answer table says. A verdict on a lone event is HubSpot's only when HubSpot said it:
 * an HTML or plain-text 400 or 404 is a proxy's page (`unknown`), never a dead letter; a batch refused as a whole
 * is isolated (bisected), but a lone event is never isolated (nothing smaller to send).
 *
 * @param sent - The events sent, in order.
 * @param refusal - The answer and what reading it needs.
 */
export function interpretRefusal(sent: readonly SentEvent[], refusal: Refusal): Interpretation {
  const { status, body, error, timing } = refusal;
  const reason = error.message === undefined ? `HTTP ${status}` : `HTTP ${status}: ${error.message}`;
  const lone = sent.length === 1;
  const first = sent[0]?.id ?? '';
  const result = (outcomes: EventOutcome[], signal?: GlobalSignal) =>
    interpretation(outcomes, signal, timing.rateLimit);
  const all = (outcome: (id: string) => EventOutcome) => sent.map((event) => outcome(event.id));
  const notTaken = (delayMs: number | undefined) =>
    all((id) => retry(id, { countsAsAttempt: false, reason, status, delayMs }));
  const mayHave = () =>
    all((id) => unknown(id, { countsAsAttempt: true, reason, status, delayMs: timing.retryAfterMs }));
  const isolateAll = () => all((id) => isolate(id, reason, status));
  // Text that is neither JSON nor empty is a page from something in between, not HubSpot's verdict.
  const fromProxy = !error.isJson && body.trim() !== '';

  const signal = connectionSignal(status, error, body, timing);
  if (signal !== undefined) {
    return result(notTaken(signal.type === 'rate-limited' ? signal.delayMs : undefined), signal);
  }
  switch (status) {
    case 400:
      if (!lone) return result(isolateAll());
      if (isAlreadyExists({ status, ...errorEvidence(error), ids: [first] })) {
        return result([delivered(first, 'already-exists')]);
      }
      if (fromProxy) return result(mayHave());
      return result([deadFrom(first, status, refusal.allOrNothing ? withDetail(error, body) : error)]);
    case 404:
      if (fromProxy) return result(mayHave());
      return result(lone ? [deadFrom(first, status, error)] : isolateAll());
    case 409:
      // Our ids are unique, so an existing one exists because we sent it. In a batch, only an answer naming the
      // ids tells which; the others were refused with them ("none accepted") and go again without them.
      if (lone) return result([delivered(first, 'already-exists')]);
      return result(refusal.allOrNothing ? conflictsNamed(sent, body, reason) : isolateAll());
    case 413: {
      const maxBytes = Math.max(1, Math.floor(requestBytesOf(sent, refusal.context) / 2));
      const outcomes = lone
        ? [deadFrom(first, status, { ...error, category: PAYLOAD_TOO_LARGE_CATEGORY })]
        : isolateAll();
      return result(outcomes, { type: 'payload-too-large', maxBytes });
    }
    case 423:
      return result(notTaken(timing.retryAfterMs ?? timing.options.lockedDelayMs));
    case 477:
      return result(notTaken(timing.retryAfterMs ?? timing.options.migrationDelayMs));
    default:
      // 5xx, redirects and anything unexpected: HubSpot may have stored the events. An attempt; backoff unless
      // the answer says how long.
      return result(mayHave());
  }
}

/** A 409 for a batch: the ids its context names are delivered, the rest isolated; all isolated if none named. */
function conflictsNamed(sent: readonly SentEvent[], body: string, reason: string): EventOutcome[] {
  const parsed = parseJsonSafely(body);
  const sentIds = new Set(sent.map((event) => event.id));
  const named = isJsonObject(parsed) ? new Set(attributeError(parsed, sentIds).ids) : new Set<string>();
  const others = named.size > 0 ? `${reason} (not this event; none of the batch was accepted)` : reason;
  return sent.map((event) =>
    named.has(event.id) ? delivered(event.id, 'already-exists') : isolate(event.id, others, 409),
  );
}

/** The error with its message replaced by the detail messages of `errors[]`, when the body has any. */
function withDetail(error: HubSpotErrorBody, body: string): HubSpotErrorBody {
  const parsed = parseJsonSafely(body);
  const details = isJsonObject(parsed) ? detailMessages(parsed) : [];
  return details.length === 0 ? error : { ...error, message: details.join('; ') };
}

function errorEvidence(error: HubSpotErrorBody) {
  return {
    ...(error.category === undefined ? {} : { category: error.category }),
    ...(error.subCategory === undefined ? {} : { subCategory: error.subCategory }),
    messages: [error.message],
  };
}

/** The size of the request sent, as the caller measured it, or else the JSON size of what it says it sent. */
function requestBytesOf(sent: readonly SentEvent[], context: InterpretContext | undefined): number {
  return context?.requestBytes?.() ?? utf8ByteLength(JSON.stringify({ inputs: sent }));
}
