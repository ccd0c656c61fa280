/**
 * The emulator's own vocabulary. It deliberately does not reuse `@hubline/core`'s event types: the emulator
 * judges what arrives on the wire by its own reading of HubSpot's spec, so that a mistake in core is caught
 * here instead of mirrored.
 */
import type { AccountLimitsOptions, AccountOptions, AccountSummary } from './accounts/account-types.js';
import type {
  AuthOptions,
  AuthorizationCode,
  AuthorizeOptions,
  DeveloperOptions,
  IssuedToken,
  IssueTokenOptions,
} from './auth/auth-types.js';
import type { StoredEvent } from './events/stored-event.js';
import type { ApiFaultKind, FaultOptions, TokenFaultKind } from './faults/fault-types.js';
import type { LimitsOptions, ResolvedLimits } from './limits/limit-types.js';
import type { EventTemplate } from './templates/template-types.js';

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
   * The app's event templates at start; the template routes create, change and delete them later.
   * @default defaultTemplates
   */
  readonly templates?: readonly EventTemplate[];
  /** Who may call the API: the default account's static tokens, OAuth clients, token lifetime, or no auth at all. */
  readonly auth?: AuthOptions;
  /**
   * Accounts (portals) besides the default one, each with its own tokens, OAuth installs and rate limits.
   * Giving the default account's id here sets its limits and adds tokens to it.
   * @default []
   */
  readonly accounts?: readonly AccountOptions[];
  /** The app's developer credentials, which the event-template routes take. */
  readonly developer?: DeveloperOptions;
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
   * Epoch-millisecond clock for rate windows, token and code expiry, and timestamps (delays use `sleep`).
   * @default Date.now
   */
  readonly clock?: () => number;
  /**
   * How the emulator waits: for latency and jitter, `slow` faults, `…-delayed` batches, dripping bodies,
   * `token-hang`, and `POST /__emulator/online`'s `forMs`.
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
  fault?: ApiFaultKind | TokenFaultKind;
  /** The account of the credential used, when it named one. */
  account?: string;
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
  /** Requests received on any path but the `/__emulator` control routes (unknown routes included); per account, those sent with its tokens. */
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

/** A running emulator. Stop it with `stop()`, or `await using emu = await startEmulator()`. */
export interface RunningEmulator extends AsyncDisposable {
  /** Base URL of the API, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The API port (kept while offline, so the API comes back on it). */
  readonly port: number;
  /** Base URL of the control listener, which stays reachable while the API is offline. */
  readonly controlUrl: string;
  /** Stored events in storage order (a copy): of every account, or of the one `filter.account` names. */
  events(filter?: EventFilter): StoredEvent[];
  /** The request log, oldest first (a copy). */
  requests(): RequestLogEntry[];
  /** Counters (a copy). */
  counters(account?: string): EmulatorCounters;
  /** Every account the emulator knows (configured, issued a token, or authorized), the default one first. */
  accounts(): AccountSummary[];
  /** One account, if known. */
  account(id: string): AccountSummary | undefined;
  /** Merges an account's own rate limits (adding the account when new); `dailyLimit: null` removes its daily cap. */
  setAccountLimits(id: string, limits: AccountLimitsOptions): void;
  /** Installs the app in an account, as a user approving it would: a code for `grant_type=authorization_code`. */
  authorize(account: string, options?: AuthorizeOptions): AuthorizationCode;
  /** Uninstalls the app from an account: its refresh tokens are refused (400 BAD_REFRESH_TOKEN), its OAuth access tokens answered 401. Returns the installs revoked. */
  revokeInstalls(account: string): number;
  /** The app's event templates in force (the template routes change them). */
  templates(): EventTemplate[];
  /** The app id of the template routes. */
  readonly appId: number;
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

/** Which stored events {@link RunningEmulator.events} returns. */
export interface EventFilter {
  /** Only this account's. */
  readonly account?: string;
  /** Only this template's. */
  readonly eventTemplateId?: string;
}
