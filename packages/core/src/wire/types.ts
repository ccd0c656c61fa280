import type { TimelineEvent } from '../event/types.js';
import type { DeliveryEvidence } from '../lifecycle/types.js';

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
  /**
   * The answer's body grew past the transport's cap and the transport stopped reading it: HubSpot (or whatever
   * answered) may have stored the events, so the outcome is unknown.
   */
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

export type { DeliveryEvidence } from '../lifecycle/types.js';

/**
 * The verdict on one event of a batch. Only evidence makes an event `delivered`; an answer that proves neither
 * that HubSpot has the event nor that it does not is `unknown`, never a guess either way.
 */
export type EventOutcome =
  /** HubSpot has the event (created now, or it already existed because we sent it before). */
  | {
      readonly type: 'delivered';
      /** The event's id. */
      readonly id: string;
      /** Whether HubSpot said the id already existed rather than creating it now. */
      readonly alreadyExisted: boolean;
      /** What proved it. */
      readonly evidence: DeliveryEvidence;
    }
  /**
   * HubSpot did not take the event (429, 423, 477, a `CANCELED` batch, 401, 403, offline, aborted): send it
   * again later. `delayMs` absent means "use the backoff schedule"; present means "not before this".
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
  /**
   * HubSpot may or may not have the event (5xx, timeout, reset, a body over the size cap, a 2xx that is not
   * HubSpot's batch body, an id the batch body does not mention, a batch still `PENDING`): re-send it with the
   * same id (idempotent) or read it back; never count it delivered, never dead-letter it on this answer alone.
   */
  | {
      readonly type: 'unknown';
      /** The event's id. */
      readonly id: string;
      /** Whether this uses up one of the entry's attempts. */
      readonly countsAsAttempt: boolean;
      /** Wait at least this long, ms; absent: follow the backoff schedule. */
      readonly delayMs?: number;
      /** Why, for the entry's history. */
      readonly reason: string;
      /** HTTP status, when something answered. */
      readonly status?: number;
      /**
       * HubSpot said it accepted the batch but has not finished it (`PENDING`, `PROCESSING`): confirm after
       * `delayMs` (read back, or re-send and take "already exists").
       */
      readonly accepted?: true;
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
      /** HubSpot's error category, or `HTTP_<status>` when it gave none (`PAYLOAD_TOO_LARGE` for a 413). */
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

/** The request a dialect builds: a batch to create (`POST`), or one event to read back (`GET`). */
export interface WireRequest {
  /** `POST` to create a batch, `GET` to read one event back. */
  readonly method: 'POST' | 'GET';
  /** Path below the base URL, e.g. `/integrators/timeline/v3/events/batch/create`. */
  readonly path: string;
  /** The JSON body, already serialised; absent for a `GET`. */
  readonly body?: string;
}

/** What a read-back says about one event. */
export type ReadBackVerdict =
  /** HubSpot answered with the event itself: it has it. */
  | { readonly type: 'found' }
  /** HubSpot said, in its own JSON, that there is no such event. */
  | {
      readonly type: 'absent';
      /** HubSpot's words, for the entry's history. */
      readonly reason: string;
    }
  /** The answer proves neither (a proxy page, a 5xx, a timeout, a 429, another event's body). */
  | {
      readonly type: 'unknown';
      /** Why, for the entry's history. */
      readonly reason: string;
    };

/** The pure reading of a read-back's answer. */
export interface ReadBackInterpretation {
  /** Whether HubSpot has the event. */
  readonly verdict: ReadBackVerdict;
  /** A signal about the whole connection (429, 401, 403, offline), read as for a batch. */
  readonly signal?: GlobalSignal;
  /** What the `X-HubSpot-RateLimit-*` headers said, when present. */
  readonly rateLimit?: RateLimitInfo;
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
   * whatever the body holds (HTML, nothing, truncated JSON, megabytes of anything).
   */
  interpret(sent: readonly SentEvent[], answer: HttpAnswer, context?: InterpretContext): Interpretation;
  /**
   * v3 only: the request that reads one event back,
   * `GET /integrators/timeline/v3/events/{eventTemplateId}/{eventId}` (path parts URL-encoded), no body.
   * Absent: the API has no read-back (2026-03), and a re-send's "already exists" is the evidence instead.
   *
   * @param event - The event's id and template.
   */
  readBack?(event: {
    /** The event's id. */
    readonly id: string;
    /** The event's template id. */
    readonly eventTemplateId: string;
  }): WireRequest;
  /**
   * v3 only: what the answer to {@link WireDialect.readBack} says. `found` only for a HubSpot JSON 200 whose
   * `id` is the event's; `absent` only for a HubSpot JSON 404; 429, 401 and 403 carry the same signals as for
   * a batch; anything else is `unknown`. Never throws.
   *
   * @param id - The id of the event read back.
   * @param answer - What came back.
   * @param context - The time, for a `Retry-After` date.
   */
  interpretReadBack?(id: string, answer: HttpAnswer, context?: InterpretContext): ReadBackInterpretation;
}
