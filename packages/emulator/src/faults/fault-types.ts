/** The faults the emulator can inject, and their settings. */

/**
 * The faults that fail visibly: the client gets an error status or no answer at all. They apply to every API
 * route (timeline and template routes), never to OAuth or the control routes.
 */
export type FaultKind =
  /** 500 with HubSpot's JSON error body (category `INTERNAL_ERROR`); nothing is stored. */
  | 'error-500'
  /** 502 Bad Gateway, with HubSpot's JSON body or, at `htmlBodyRate`, a proxy's HTML page; nothing is stored. */
  | 'error-502'
  /** 503 Service Unavailable, with HubSpot's JSON body or, at `htmlBodyRate`, a proxy's HTML page; nothing is stored. */
  | 'error-503'
  /** 504 Gateway Timeout, with HubSpot's JSON body or, at `htmlBodyRate`, a proxy's HTML page; nothing is stored. */
  | 'error-504'
  /** Starts a run of 429 TEN_SECONDLY_ROLLING answers `burstLength` requests long. */
  | 'rate-limit-burst'
  /** 423 Locked with `Retry-After`. */
  | 'locked-423'
  /** 477 Migration in progress with `Retry-After`. */
  | 'migrating-477'
  /** The connection is destroyed before anything is stored. */
  | 'reset-before-store'
  /** The events are stored, then the connection is destroyed: the client never learns it succeeded. */
  | 'reset-after-store'
  /** The answer is delayed by `slowMs` (past a client's timeout); the events are stored when it ends. */
  | 'slow';

/**
 * Answers that look like success, or could be read as one, but prove nothing (a client must treat the outcome
 * as unknown). A bare name stores nothing; `-stored` runs the request as usual (storing what is valid) and
 * then sends the hostile answer instead of the real one. Batch-only kinds (`batch-…`, `results-…`,
 * `unattributed-…`) leave other routes' requests alone. None ever names an id in `results`, or says "already
 * exists" for one, that is not stored: the evidence a client may trust stays true.
 */
export type HostileAnswerKind =
  /** 200 with an empty body. */
  | 'empty-200'
  | 'empty-200-stored'
  /** 200 with an HTML page, as a captive portal or a proxy answers. */
  | 'html-200'
  | 'html-200-stored'
  /** 200 whose JSON body is HubSpot's error object (category `VALIDATION_ERROR`). */
  | 'error-json-200'
  | 'error-json-200-stored'
  /** 200 whose body is cut-off JSON that starts like a batch response. */
  | 'junk-json-200'
  | 'junk-json-200-stored'
  /** 204 No Content. */
  | 'no-content-204'
  | 'no-content-204-stored'
  /** 299 with the JSON body `{}`. */
  | 'status-299'
  | 'status-299-stored'
  /** Batch: stored, answered `status: PENDING` with no `results`. */
  | 'batch-pending'
  /** Batch: answered `status: PENDING` with no `results`, and stored only `pendingMs` later (an immediate read-back says 404). */
  | 'batch-pending-delayed'
  /** Batch: stored, answered `status: PROCESSING` with no `results`. */
  | 'batch-processing'
  /** Batch: answered `status: PROCESSING` with no `results`, and stored only `pendingMs` later. */
  | 'batch-processing-delayed'
  /** Batch: nothing stored, answered `status: CANCELED` with no `results`. */
  | 'batch-canceled'
  /** Batch: all stored, answered `COMPLETE`, but `results` leave out every other event (the first, the third, …). */
  | 'results-missing'
  /**
   * Batch: every other event (the first, the third, …) is not stored, and `results` name, in its place, an id
   * that was never sent.
   */
  | 'results-unsent-ids'
  /** v3 batch: all stored; the last event's result is replaced by a 207 "already exists" error that names no id. */
  | 'unattributed-exists'
  /** v3 batch: the last event is not stored; a 207 validation error that names no id stands for it. */
  | 'unattributed-invalid'
  /** A 201 whose JSON body is `oversizedBytes` long, streamed chunk by chunk; nothing stored. */
  | 'oversized-body'
  | 'oversized-body-stored'
  /** A 201 whose body drips `dripBytes` every `dripIntervalMs` and never ends (cut after `dripMs`); nothing stored. */
  | 'dripping-body'
  | 'dripping-body-stored';

/** Any fault an API (timeline or template) request can be given. */
export type ApiFaultKind = FaultKind | HostileAnswerKind;

/** Faults of the OAuth token endpoint (`POST /oauth/v1/token`), drawn separately from the API's. */
export type TokenFaultKind =
  /** The connection is closed at once, without an answer (as close as one port can get to "refused"). */
  | 'token-reset'
  /** 500 with HubSpot's JSON error body; no token issued. */
  | 'token-error-500'
  /** 503, JSON or (at `htmlBodyRate`) a proxy's HTML page; no token issued. */
  | 'token-error-503'
  /** 200 with a captive portal's HTML page; no token issued. */
  | 'token-html-200'
  /** No answer at all: the connection is held for `hangMs`, then closed. */
  | 'token-hang';

/** Seeded fault injection. The same seed and the same request sequence always produce the same faults. */
export interface FaultOptions {
  /**
   * Seed of the fault PRNG. Setting it (even to the same value) restarts the sequence.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Fixed latency added to every API request, in milliseconds.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * Uniform random extra latency in `[0, jitterMs)`, from the seeded PRNG.
   * @default 0
   */
  readonly jitterMs?: number;
  /**
   * Probability of each fault per API request (0..1); their sum should not exceed 1.
   * @default {}
   */
  readonly rates?: Readonly<Partial<Record<ApiFaultKind, number>>>;
  /**
   * Faults forced on the next API requests, in order, before the rates apply (`'none'` lets one through). Only
   * requests that reach the fault stage take one: a request answered 413, 401, 403 or 429 leaves the queue as
   * it is. Handy for a test that needs "the next request gets a 503".
   * @default []
   */
  readonly sequence?: readonly (ApiFaultKind | 'none')[];
  /**
   * Probability of each fault per `POST /oauth/v1/token` request (0..1).
   * @default {}
   */
  readonly tokenRates?: Readonly<Partial<Record<TokenFaultKind, number>>>;
  /**
   * Faults forced on the next token requests, in order, before `tokenRates` apply.
   * @default []
   */
  readonly tokenSequence?: readonly (TokenFaultKind | 'none')[];
  /**
   * Share of 5xx faults answered with an HTML body (as a proxy would) instead of HubSpot's JSON.
   * @default 0.5
   */
  readonly htmlBodyRate?: number;
  /**
   * Length of a 429 burst, in requests.
   * @default 3
   */
  readonly burstLength?: number;
  /**
   * `Retry-After` seconds sent with 423 and 477.
   * @default 2
   */
  readonly retryAfterSeconds?: number;
  /**
   * Delay of a `slow` fault in milliseconds.
   * @default 30_000
   */
  readonly slowMs?: number;
  /**
   * How long after a `…-delayed` batch answer its events are stored, in milliseconds.
   * @default 2_000
   */
  readonly pendingMs?: number;
  /**
   * Length of an `oversized-body` answer in bytes (at most 8 GiB).
   * @default 629_145_600 (600 MiB)
   */
  readonly oversizedBytes?: number;
  /**
   * Bytes a `dripping-body` answer sends at a time.
   * @default 4
   */
  readonly dripBytes?: number;
  /**
   * Milliseconds between two drips.
   * @default 1_000
   */
  readonly dripIntervalMs?: number;
  /**
   * How long a dripping body drips before its connection is cut, in milliseconds (the bound of the fault).
   * @default 600_000
   */
  readonly dripMs?: number;
  /**
   * How long a `token-hang` holds its connection before closing it, in milliseconds.
   * @default 600_000
   */
  readonly hangMs?: number;
}
