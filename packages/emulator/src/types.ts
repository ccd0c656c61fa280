/**
 * The emulator's own vocabulary. It deliberately does not reuse `@hubline/core`'s event types: the emulator
 * judges what arrives on the wire by its own reading of HubSpot's spec, so that a mistake in core is caught
 * here instead of mirrored.
 */

/** The type of a template token, as HubSpot's event templates declare it. */
export type TemplateTokenType = 'string' | 'number' | 'date' | 'enumeration';

/** One option of an `enumeration` token: a bare value, or HubSpot's `{ value, label }` shape. */
export type TemplateTokenOption = string | { readonly value: string; readonly label?: string };

/** One token of an event template. */
export interface TemplateToken {
  /** Token name: letters, digits, `.`, `-`, `_`. */
  readonly name: string;
  /** How values are checked: numbers must parse, dates must be ISO 8601 or epoch milliseconds, enumerations must be an option. */
  readonly type: TemplateTokenType;
  /** Allowed values of an `enumeration` token. */
  readonly options?: readonly TemplateTokenOption[];
}

/** An event template the emulator knows; events naming any other template are refused. */
export interface EventTemplate {
  /** The template id events send as `eventTemplateId`. */
  readonly id: string;
  /** A name; the `2026-03` API's `eventTypeName` may use it instead of the id. */
  readonly name?: string;
  /** The CRM object type, e.g. `contacts` or `companies`. Contacts may be named by `email` or `utk`; all others need `objectId`. */
  readonly objectType: string;
  /** The tokens events may carry; any other token name is refused. */
  readonly tokens: readonly TemplateToken[];
}

/** A static access token the emulator accepts. */
export interface StaticTokenOptions {
  /** The bearer token value. */
  readonly token: string;
  /**
   * Granted scopes; a token without `timeline` (or a `crm.objects.*.write` scope) is answered 403.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
  /** Epoch milliseconds (on the emulator's clock) after which the token is answered 401 EXPIRED_AUTHENTICATION. */
  readonly expiresAt?: number;
  /** A name shown in the request log instead of the token (tokens are never logged). */
  readonly label?: string;
}

/** An OAuth app whose refresh tokens `POST /oauth/v1/token` exchanges for access tokens. */
export interface OAuthClientOptions {
  /** The app's client id, sent as `client_id`. */
  readonly clientId: string;
  /** The app's client secret, sent as `client_secret`. */
  readonly clientSecret: string;
  /** Refresh tokens this client may use. */
  readonly refreshTokens: readonly string[];
  /**
   * Scopes granted to the access tokens issued.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
}

/** Who may call the timeline API. */
export interface AuthOptions {
  /**
   * When false, any request (with or without a bearer) is accepted; rate limits then apply per bearer value.
   * @default true
   */
  readonly requireAuth?: boolean;
  /**
   * Static tokens.
   * @default [{ token: 'hubline-emulator-token', scopes: ['timeline'] }]
   */
  readonly tokens?: readonly StaticTokenOptions[];
  /**
   * OAuth clients for the refresh-token grant.
   * @default [{ clientId: 'hubline-emulator-client', clientSecret: 'hubline-emulator-secret', refreshTokens: ['hubline-emulator-refresh'] }]
   */
  readonly clients?: readonly OAuthClientOptions[];
  /**
   * Lifetime of access tokens issued by `/oauth/v1/token` and `issueToken()`, in milliseconds.
   * @default 1_800_000 (30 minutes, as HubSpot documents)
   */
  readonly accessTokenTtlMs?: number;
}

/**
 * How a v3 event id already stored for its template (or repeated within one request) is answered (see
 * API-NOTES "Re-sending an id"). The `2026-03` batch always answers 409, as its docs say.
 */
export type ConflictMode =
  /** v3 batch: a per-event error with category CONFLICT in a 207; the other events are stored. */
  | '207-error'
  /** The whole request is answered 409 CONFLICT and nothing in it is stored. */
  | '409'
  /** The whole request is answered 400 "Event ID already in use, please choose a new unique ID" (v1 style); nothing stored. */
  | '400-in-use'
  /** The duplicate is accepted silently and echoed in `results` as if created (the stored event is unchanged). */
  | 'silent-dedupe'
  /**
   * The v3 docs' "the last to be processed will win": the duplicate is accepted (201, echoed in `results`) and
   * overwrites the stored event in its place in storage order. Counted in `duplicateIdsSeen`, not in `eventsStored`.
   */
  | 'last-wins';

/** Request limits; all may be changed at run time with `setLimits()`. */
export interface LimitsOptions {
  /**
   * Most inputs per batch request; more is answered 400 for the whole request.
   * @default 100
   */
  readonly maxBatchSize?: number;
  /**
   * Largest request body in bytes; more is answered 413.
   * @default 1_048_576
   */
  readonly maxBodyBytes?: number;
  /**
   * Requests per access token in a rolling window (HubSpot's TEN_SECONDLY_ROLLING policy).
   * @default 100
   */
  readonly rateLimit?: number;
  /**
   * The rolling window in milliseconds.
   * @default 10_000
   */
  readonly rateWindowMs?: number;
  /** Optional DAILY policy: requests per access token per UTC day. Off when absent; `null` turns it off. */
  readonly dailyLimit?: number | null;
  /**
   * How re-sent ids are answered.
   * @default '207-error'
   */
  readonly conflictMode?: ConflictMode;
}

/** Every fault the emulator can inject into a timeline API request. */
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

/** Seeded fault injection. The same seed and the same request sequence always produce the same faults. */
export interface FaultOptions {
  /**
   * Seed of the fault PRNG. Setting it (even to the same value) restarts the sequence.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Fixed latency added to every timeline API request, in milliseconds.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * Uniform random extra latency in `[0, jitterMs)`, from the seeded PRNG.
   * @default 0
   */
  readonly jitterMs?: number;
  /**
   * Probability of each fault per request (0..1); their sum should not exceed 1.
   * @default {}
   */
  readonly rates?: Readonly<Partial<Record<FaultKind, number>>>;
  /**
   * Faults forced on the next requests, in order, before the rates apply (`'none'` lets one through). Only
   * requests that reach the fault stage take one: a request answered 413, 401, 403 or 429 leaves the queue as
   * it is. Handy for a test that needs "the next request gets a 503".
   * @default []
   */
  readonly sequence?: readonly (FaultKind | 'none')[];
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
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /**
   * Interface to listen on. Keep it on loopback.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Port of the control listener that stays up while the API is offline; 0 picks a free one.
   * @default 0
   */
  readonly controlPort?: number;
  /**
   * Event templates.
   * @default defaultTemplates
   */
  readonly templates?: readonly EventTemplate[];
  /** Who may call the API: static tokens, OAuth clients, token lifetime, or no auth at all. */
  readonly auth?: AuthOptions;
  /** Batch cap, body cap, rate limits and the conflict mode; changeable later with `setLimits()`. */
  readonly limits?: LimitsOptions;
  /** Seeded fault injection; changeable later with `setFaults()`. No faults by default. */
  readonly faults?: FaultOptions;
  /**
   * Whether the API accepts connections at start.
   * @default true
   */
  readonly online?: boolean;
  /**
   * Epoch-millisecond clock for rate windows, token expiry and response timestamps (delays use `sleep`).
   * @default Date.now
   */
  readonly clock?: () => number;
  /**
   * How the emulator waits: for latency and jitter, `slow` faults, and `POST /__emulator/online`'s `forMs`.
   * It gets the delay asked for and a signal that `stop()` aborts; `stop()` does not wait for it to end.
   * Inject one to test those delays without real waiting (record `ms`, end the promise when the test says).
   * @default a real timer (`setTimeout` from `node:timers/promises`), cleared on `stop()`
   * @example
   * ```ts
   * const asked: number[] = [];
   * await using emu = await startEmulator({
   *   faults: { latencyMs: 50, jitterMs: 10 },
   *   sleep: async (ms) => void asked.push(ms), // no real waiting; asked holds each delay
   * });
   * ```
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * How many request log entries are kept (oldest dropped first).
   * @default 10_000
   */
  readonly maxRequestLog?: number;
}

/** An event as the emulator stored it. */
export interface StoredEvent {
  /** The template id (for 2026-03 occurrences, the id of the template their `eventTypeName` named). */
  readonly eventTemplateId: string;
  /** The event id, unique per template. */
  readonly id: string;
  /** The template's object type. */
  readonly objectType: string;
  /** Token values as strings, as HubSpot echoes them. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The CRM object the event is on, as sent; required for every object type but contacts. */
  readonly objectId?: string;
  /** The contact's email address, as sent (contacts only). */
  readonly email?: string;
  /** The HubSpot user token (`hubspotutk` cookie) naming the contact, as sent (contacts only). */
  readonly utk?: string;
  /** The domain sent with the event, usually beside `utk`. */
  readonly domain?: string;
  /** The custom object type id, as sent (v3 only; HubSpot's Node SDK drops it). */
  readonly customObjectTypeId?: string;
  /** ISO 8601; the server's time when the request omitted it. */
  readonly timestamp: string;
  /** Free-form data for the template's markdown, as sent (a JSON object). */
  readonly extraData?: Readonly<Record<string, unknown>>;
  /** The iframe link shown on the timeline, as sent: `linkLabel`, `headerLabel`, `url`, `width`, `height`. */
  readonly timelineIFrame?: Readonly<Record<string, unknown>>;
  /** Which API stored it. */
  readonly api: 'v3' | '2026-03';
  /** Emulator clock time of storage, epoch milliseconds. */
  readonly storedAt: number;
  /** `seq` of the request that stored it. */
  readonly requestSeq: number;
}

/** One request as the emulator saw it (any path but the `/__emulator` control routes). Never contains a token. */
export interface RequestLogEntry {
  /** 1-based arrival order. */
  readonly seq: number;
  /** HTTP method. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The status sent, or `null` when the connection was reset or the server stopped first. */
  status: number | null;
  /** The injected fault, if any. */
  fault?: FaultKind;
  /** Label of the credential used (never the token itself). */
  auth?: string;
  /** Inputs in the body of a batch or single create. */
  inputs?: number;
  /** Events this request created (`last-wins` overwrites not included). */
  stored?: number;
  /** Emulator clock time of arrival, epoch milliseconds. */
  readonly receivedAt: number;
  /** Real milliseconds from arrival to answer. */
  durationMs?: number;
}

/** Running totals since start or the last `reset()`. */
export interface EmulatorCounters {
  /** Requests received on any path but the `/__emulator` control routes (unknown routes included). */
  requests: number;
  /** Events created (by any API), so always `events().length` since the last reset; a `last-wins` overwrite counts in `duplicateIdsSeen` instead. */
  eventsStored: number;
  /** Inputs whose id was already stored for their template (or repeated within one request). */
  duplicateIdsSeen: number;
  /** 429 answers sent, from the rate limiter or a burst fault. */
  rateLimited: number;
  /** Faults injected (of any kind). */
  faultsInjected: number;
  /** Connections destroyed by reset faults. */
  resets: number;
  /** Answers by status code. */
  byStatus: Record<string, number>;
}

/** A token handed out by {@link RunningEmulator.issueToken}. */
export interface IssuedToken {
  /** The bearer token. */
  readonly accessToken: string;
  /** Emulator clock time of expiry, epoch milliseconds. */
  readonly expiresAt: number;
}

/** Options of {@link RunningEmulator.issueToken}. */
export interface IssueTokenOptions {
  /**
   * Granted scopes.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
  /**
   * Lifetime in milliseconds.
   * @default auth.accessTokenTtlMs
   */
  readonly ttlMs?: number;
  /** Name shown in the request log. */
  readonly label?: string;
}

/** The resolved limits in force. */
export type ResolvedLimits = Readonly<Required<Omit<LimitsOptions, 'dailyLimit'>>> & {
  readonly dailyLimit?: number;
};

/** A running emulator. Stop it with `stop()`, or `await using emu = await startEmulator()`. */
export interface RunningEmulator extends AsyncDisposable {
  /** Base URL of the API, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The API port (kept while offline, so the API comes back on it). */
  readonly port: number;
  /** Base URL of the control listener, which stays reachable while the API is offline. */
  readonly controlUrl: string;
  /** Stored events in storage order (a copy). */
  events(): StoredEvent[];
  /** The request log, oldest first (a copy). */
  requests(): RequestLogEntry[];
  /** Counters (a copy). */
  counters(): EmulatorCounters;
  /** Forgets stored events, the request log, counters, rate windows and the 429 burst; restarts the fault PRNG. */
  reset(): void;
  /** Merges fault settings (`rates` key by key); giving `seed` restarts the PRNG; `sequence` replaces the queue. */
  setFaults(faults: FaultOptions): void;
  /** Current fault settings. */
  faults(): FaultOptions;
  /** Merges limits. */
  setLimits(limits: LimitsOptions): void;
  /** Current limits. */
  limits(): ResolvedLimits;
  /** Offline closes the API listener (clients get ECONNREFUSED) and drops open connections; online listens again on the same port. */
  setOnline(online: boolean): Promise<void>;
  /** Whether the API accepts connections. */
  readonly online: boolean;
  /** Issues an access token directly, as if from `/oauth/v1/token`. */
  issueToken(options?: IssueTokenOptions): IssuedToken;
  /** Stops both listeners, cancelling pending delays. Safe to call twice. */
  stop(): Promise<void>;
}
