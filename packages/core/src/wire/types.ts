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
  | 'aborted'
  /** The answer's body passed the transport's size cap and the transport stopped reading: outcome unknown. */
  | 'body-too-large';

/** What came back from one HTTP request: an answer, or a transport failure. */
export type HttpAnswer =
  /** HubSpot (or something in between) answered. */
  | {
      readonly kind: 'response';
      /** The HTTP status code. */
      readonly status: number;
      /** Header names in lower case. */
      readonly headers: Readonly<Record<string, string>>;
      /** The raw body text; may be empty or not JSON (an HTML 502 from a proxy). */
      readonly body: string;
    }
  /** No HTTP answer arrived. */
  | {
      readonly kind: 'failure';
      /** How the request failed. */
      readonly failure: TransportFailureKind;
      /** A human-readable description; never contains the access token. */
      readonly message: string;
    };

/** The verdict on one event of a batch. */
export type EventOutcome =
  /** HubSpot has the event (created now, or it already existed because we sent it before). */
  | {
      readonly type: 'delivered';
      /** The event's id. */
      readonly id: string;
      /** Whether HubSpot said the id already existed rather than creating it now. */
      readonly alreadyExisted: boolean;
    }
  /**
   * Send again later. `delayMs` absent means "use the backoff schedule"; present means "not before this".
   * Only answers that might mean a broken event count as attempts (5xx, timeouts, resets).
   */
  | {
      readonly type: 'retry';
      /** The event's id. */
      readonly id: string;
      /** Whether this uses up one of the entry's attempts. */
      readonly countsAsAttempt: boolean;
      /** Wait at least this long, ms; absent: follow the backoff schedule. */
      readonly delayMs?: number;
      /** Why, for the entry's history: the status and HubSpot's words, or the transport failure. */
      readonly reason: string;
      /** HTTP status, when HubSpot answered. */
      readonly status?: number;
    }
  /** The batch was refused as a whole; re-send this event in a smaller batch (bisect) to learn its own verdict. */
  | {
      readonly type: 'isolate';
      /** The event's id. */
      readonly id: string;
      /** Why the batch was refused, for the history. */
      readonly reason: string;
      /** HTTP status of the refusal. */
      readonly status?: number;
    }
  /** HubSpot's definitive refusal of this event alone: dead-letter it with HubSpot's words. */
  | {
      readonly type: 'dead';
      /** The event's id. */
      readonly id: string;
      /** HubSpot's error category, or `HTTP_<status>` when it gave none. */
      readonly category: string;
      /** HubSpot's message, or `HTTP <status>` when it gave none. */
      readonly message: string;
      /** HTTP status of the refusal. */
      readonly status?: number;
    };

/** HubSpot rate-limit policy names as they appear in 429 bodies. */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY' | 'UNKNOWN';

/** A signal about the whole connection, not one event; every engine sharing the budget reacts. */
export type GlobalSignal =
  /** 429: pause everyone sharing the budget. */
  | {
      readonly type: 'rate-limited';
      /** Which budget ran out. */
      readonly policy: RateLimitPolicy;
      /** How long to pause, ms. */
      readonly delayMs: number;
    }
  /** 401: the access token was refused; get a fresh one, else pause. */
  | {
      readonly type: 'unauthorized';
      /** HubSpot's category, e.g. `EXPIRED_AUTHENTICATION`. */
      readonly category: string;
      /** HubSpot's message. */
      readonly message: string;
    }
  /** 403: the token lacks a scope; pause. */
  | {
      readonly type: 'forbidden';
      /** HubSpot's category, e.g. `MISSING_SCOPES`. */
      readonly category: string;
      /** HubSpot's message. */
      readonly message: string;
    }
  /** No connection could be made: wait for the network. */
  | {
      readonly type: 'offline';
      /** The transport's description of the failure. */
      readonly message: string;
    }
  /** 413: the byte budget per request should shrink. */
  | {
      readonly type: 'payload-too-large';
      /** The largest request to send from now on, in bytes: half the refused one. */
      readonly maxBytes: number;
    };

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
  /** One verdict per event sent, in the order sent. */
  readonly outcomes: readonly EventOutcome[];
  /** A signal about the whole connection (rate limit, auth, offline, size), when the answer carried one. */
  readonly signal?: GlobalSignal;
  /** What the `X-HubSpot-RateLimit-*` headers said, when present. */
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
  /** The event's id, as sent. */
  readonly id: string;
}

/** The request a dialect builds for one batch. */
export interface WireRequest {
  /** Always `POST`: both APIs create events in batches. */
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
