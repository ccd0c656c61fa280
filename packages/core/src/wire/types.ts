import type { TimelineEvent } from '../event/types.js';

/** How a request failed before any HTTP answer arrived. */
export type TransportFailureKind =
  /** No answer within the client's timeout: the server may or may not have stored the events. */
  | 'timeout'
  /** The connection broke after the request was sent (ECONNRESET, socket hang up): outcome unknown. */
  | 'reset'
  /** No connection could be made (ECONNREFUSED, ENETUNREACH, DNS failure, host offline): nothing was sent. */
  | 'offline'
  /** The request was cancelled by the caller (engine stopping). */
  | 'aborted';

/** What came back from one HTTP request: an answer, or a transport failure. */
export type HttpAnswer =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** Header names in lower case. */
      readonly headers: Readonly<Record<string, string>>;
      /** The raw body text; may be empty or not JSON (an HTML 502 from a proxy). */
      readonly body: string;
    }
  | {
      readonly kind: 'failure';
      readonly failure: TransportFailureKind;
      /** A human-readable description; never contains the access token. */
      readonly message: string;
    };

/** The verdict on one event of a batch. */
export type EventOutcome =
  /** HubSpot has the event (created now, or it already existed because we sent it before). */
  | { readonly type: 'delivered'; readonly id: string; readonly alreadyExisted: boolean }
  /**
   * Send again later. `delayMs` absent means "use the backoff schedule"; present means "not before this".
   * Only answers that might mean a broken event count as attempts (5xx, timeouts, resets).
   */
  | {
      readonly type: 'retry';
      readonly id: string;
      readonly countsAsAttempt: boolean;
      readonly delayMs?: number;
      readonly reason: string;
      readonly status?: number;
    }
  /** The batch was refused as a whole; re-send this event in a smaller batch (bisect) to learn its own verdict. */
  | { readonly type: 'isolate'; readonly id: string; readonly reason: string; readonly status?: number }
  /** HubSpot's definitive refusal of this event alone: dead-letter it with HubSpot's words. */
  | {
      readonly type: 'dead';
      readonly id: string;
      readonly category: string;
      readonly message: string;
      readonly status?: number;
    };

/** HubSpot rate-limit policy names as they appear in 429 bodies. */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY' | 'UNKNOWN';

/** A signal about the whole connection, not one event; every engine sharing the budget reacts. */
export type GlobalSignal =
  | { readonly type: 'rate-limited'; readonly policy: RateLimitPolicy; readonly delayMs: number }
  | { readonly type: 'unauthorized'; readonly category: string; readonly message: string }
  | { readonly type: 'forbidden'; readonly category: string; readonly message: string }
  | { readonly type: 'offline'; readonly message: string }
  /** 413: the byte budget per request should shrink to at most `maxBytes`. */
  | { readonly type: 'payload-too-large'; readonly maxBytes: number };

/** What the `X-HubSpot-RateLimit-*` headers said, when present. */
export interface RateLimitInfo {
  /** `X-HubSpot-RateLimit-Max`: requests allowed per interval. */
  readonly max?: number;
  /** `X-HubSpot-RateLimit-Remaining`: requests left in the current interval. */
  readonly remaining?: number;
  /** `X-HubSpot-RateLimit-Interval-Milliseconds`: the length of the interval. */
  readonly intervalMs?: number;
  /** `X-HubSpot-RateLimit-Daily` (non-OAuth calls only): requests allowed per day. */
  readonly daily?: number;
  /** `X-HubSpot-RateLimit-Daily-Remaining` (non-OAuth calls only): requests left today. */
  readonly dailyRemaining?: number;
}

/** The pure reading of one answer: exactly one outcome per event sent, in the order sent, plus any signal. */
export interface Interpretation {
  readonly outcomes: readonly EventOutcome[];
  readonly signal?: GlobalSignal;
  readonly rateLimit?: RateLimitInfo;
}

/** Optional facts an interpretation may use; interpreting stays pure because the caller supplies them. */
export interface InterpretContext {
  /**
   * The current time in epoch milliseconds. Only needed to turn a `Retry-After` given as an HTTP date into a
   * delay; without it such a header is ignored and the status's default delay applies.
   */
  readonly now?: number;
  /**
   * The size in UTF-8 bytes of the request body that was sent. Only read for a 413, to halve the byte budget;
   * a function, so a caller pays for measuring only when HubSpot says the request was too large. Without it
   * the dialect measures the JSON of `sent` instead, which is the body's size when `sent` holds whole events.
   */
  readonly requestBytes?: () => number;
}

/**
 * What interpreting an answer needs to know about each event sent: its id. Whole {@link TimelineEvent}s fit,
 * and so does an outbox's claimed entry, so a caller never has to parse stored events to read an answer.
 */
export interface SentEvent {
  readonly id: string;
}

/** The request a dialect builds for one batch. */
export interface WireRequest {
  readonly method: 'POST';
  /** Path below the base URL, e.g. `/integrators/timeline/v3/events/batch/create`. */
  readonly path: string;
  /** The JSON body, already serialised. */
  readonly body: string;
}

/**
 * One of HubSpot's timeline APIs: it knows its endpoint, encodes stored events into a request, and
 * interprets whatever came back. Pure: no I/O, no clock.
 */
export interface WireDialect {
  /** `v3` or `2026-03`. */
  readonly name: string;
  /** Build the request for a batch of normalised events. */
  encode(events: readonly TimelineEvent[]): WireRequest;
  /**
   * Optional fast path: build the same request from each event's stored JSON text — `JSON.stringify` of the
   * normalised event, as core's `normalizeEventWithJson` returns it and the outbox stores it — without parsing
   * and re-serialising every event. Only dialects whose wire shape is the stored shape offer it (v3); callers
   * fall back to {@link WireDialect.encode} when it is absent.
   *
   * @param jsons - One JSON object text per event, in the order sent.
   */
  encodeJson?(jsons: readonly string[]): WireRequest;
  /**
   * Turn an answer into one outcome per event sent (same order) plus any global signal. Never throws,
   * whatever the body holds (HTML, nothing, truncated JSON).
   */
  interpret(sent: readonly SentEvent[], answer: HttpAnswer, context?: InterpretContext): Interpretation;
}
