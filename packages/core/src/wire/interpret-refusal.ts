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

/** What reading any status needs: the refusal, and the outcomes it may give every event sent. */
interface Reading {
  /** The events sent, in order. */
  readonly sent: readonly SentEvent[];
  /** The answer. */
  readonly refusal: Refusal;
  /** `HTTP <status>`, with HubSpot's message when it gave one. */
  readonly reason: string;
  /** Exactly one event was sent: there is nothing smaller to isolate it into. */
  readonly lone: boolean;
  /** The first event's id (for a lone event, its only one). */
  readonly first: string;
  /** Text that is neither JSON nor empty: a page from something in between, not HubSpot's verdict. */
  readonly fromProxy: boolean;
  /** The interpretation of these outcomes, with the answer's rate-limit headers. */
  result(outcomes: EventOutcome[], signal?: GlobalSignal): Interpretation;
  /** Every event: HubSpot did not take it; no attempt used. */
  notTaken(delayMs: number | undefined): EventOutcome[];
  /** Every event: HubSpot may have it; an attempt. */
  mayHave(): EventOutcome[];
  /** Every event: sent again on its own, to learn which one is refused. */
  isolateAll(): EventOutcome[];
}

function readingOf(sent: readonly SentEvent[], refusal: Refusal): Reading {
  const { status, body, error, timing } = refusal;
  const reason = error.message === undefined ? `HTTP ${status}` : `HTTP ${status}: ${error.message}`;
  const all = (outcome: (id: string) => EventOutcome) => sent.map((event) => outcome(event.id));
  return {
    sent,
    refusal,
    reason,
    lone: sent.length === 1,
    first: sent[0]?.id ?? '',
    fromProxy: !error.isJson && body.trim() !== '',
    result: (outcomes, signal) => interpretation(outcomes, signal, timing.rateLimit),
    notTaken: (delayMs) => all((id) => retry(id, { countsAsAttempt: false, reason, status, delayMs })),
    mayHave: () =>
      all((id) => unknown(id, { countsAsAttempt: true, reason, status, delayMs: timing.retryAfterMs })),
    isolateAll: () => all((id) => isolate(id, reason, status)),
  };
}

/** 400: a lone event's refusal is a dead letter (or "already exists": delivered); a batch is isolated. */
function readBadRequest(reading: Reading): Interpretation {
  const { refusal, first, result } = reading;
  const { status, error, body } = refusal;
  if (!reading.lone) return result(reading.isolateAll());
  if (isAlreadyExists({ status, ...errorEvidence(error), ids: [first] })) {
    return result([delivered(first, 'already-exists')]);
  }
  if (reading.fromProxy) return result(reading.mayHave());
  return result([deadFrom(first, status, refusal.allOrNothing ? withDetail(error, body) : error)]);
}

/** 404: HubSpot's JSON 404 dead-letters a lone event and isolates a batch; a proxy's page proves nothing. */
function readNotFound(reading: Reading): Interpretation {
  const { refusal, result } = reading;
  if (reading.fromProxy) return result(reading.mayHave());
  return result(
    reading.lone ? [deadFrom(reading.first, refusal.status, refusal.error)] : reading.isolateAll(),
  );
}

/**
 * 409: our ids are unique, so an existing one exists because we sent it. In a batch, only an answer naming the
 * ids tells which; the others were refused with them ("none accepted") and go again without them.
 */
function readConflict(reading: Reading): Interpretation {
  const { refusal, result } = reading;
  if (reading.lone) return result([delivered(reading.first, 'already-exists')]);
  return result(
    refusal.allOrNothing ? conflictsNamed(reading.sent, refusal.body, reading.reason) : reading.isolateAll(),
  );
}

/** 413: requests shrink to half this one's size; a lone event too large is a dead letter, a batch is isolated. */
function readTooLarge(reading: Reading): Interpretation {
  const { refusal, sent } = reading;
  const maxBytes = Math.max(1, Math.floor(requestBytesOf(sent, refusal.context) / 2));
  const outcomes = reading.lone
    ? [deadFrom(reading.first, refusal.status, { ...refusal.error, category: PAYLOAD_TOO_LARGE_CATEGORY })]
    : reading.isolateAll();
  return reading.result(outcomes, { type: 'payload-too-large', maxBytes });
}

/** How each status HubSpot gives a meaning is read; any other status is {@link interpretRefusal}'s default. */
const READ_BY_STATUS: Partial<Record<number, (reading: Reading) => Interpretation>> = {
  400: readBadRequest,
  404: readNotFound,
  409: readConflict,
  413: readTooLarge,
  423: ({ refusal: { timing }, result, notTaken }) =>
    result(notTaken(timing.retryAfterMs ?? timing.options.lockedDelayMs)),
  477: ({ refusal: { timing }, result, notTaken }) =>
    result(notTaken(timing.retryAfterMs ?? timing.options.migrationDelayMs)),
};

/**
 * A non-2xx answer, as the answer table says. A verdict on a lone event is HubSpot's only when HubSpot said it:
 * an HTML or plain-text 400 or 404 is a proxy's page (`unknown`), never a dead letter; a batch refused as a whole
 * is isolated (bisected), but a lone event is never isolated (nothing smaller to send).
 *
 * @param sent - The events sent, in order.
 * @param refusal - The answer and what reading it needs.
 */
export function interpretRefusal(sent: readonly SentEvent[], refusal: Refusal): Interpretation {
  const reading = readingOf(sent, refusal);
  const signal = connectionSignal(refusal.status, refusal.error, refusal.body, refusal.timing);
  if (signal !== undefined) {
    return reading.result(
      reading.notTaken(signal.type === 'rate-limited' ? signal.delayMs : undefined),
      signal,
    );
  }
  const read = READ_BY_STATUS[refusal.status];
  // 5xx, redirects and anything unexpected: HubSpot may have stored the events. An attempt; backoff unless the
  // answer says how long.
  return read === undefined ? reading.result(reading.mayHave()) : read(reading);
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
