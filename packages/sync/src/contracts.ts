import type { HttpAnswer, RateLimitInfo } from '@hubline/core';
import type { Observable, SchedulerLike } from 'rxjs';

/** One HTTP request the engine asks the transport to make. */
export interface TransportRequest {
  /** Base URL, e.g. `https://api.hubapi.com` or the emulator's URL. No trailing slash needed. */
  readonly baseUrl: string;
  /** Path below the base URL. */
  readonly path: string;
  /** `POST` to send a batch, `GET` to read an event back. */
  readonly method: 'POST' | 'GET';
  /** Serialised JSON body, sent as `application/json`; absent for a `GET`. */
  readonly body?: string;
  /** Bearer token. The transport must never log it or put it in an error message. */
  readonly accessToken: string;
  /** Give up after this many ms and answer `{ kind: 'failure', failure: 'timeout' }`. */
  readonly timeoutMs: number;
  /** Aborts the request (engine stopping); answer `{ kind: 'failure', failure: 'aborted' }`. */
  readonly signal?: AbortSignal;
}

/**
 * Sends one request and reports what came back. Never throws and never rejects, whatever the server does: every
 * failure is an {@link HttpAnswer} of kind `failure` (`timeout`, `reset`, `offline` — including a request that
 * could not even be formed, so nothing left —, `aborted`, `body-too-large`).
 */
export type Transport = (request: TransportRequest) => Promise<HttpAnswer>;

/** What the engine tells a {@link TokenProvider} about the request a token is for. */
export interface TokenContext {
  /** The engine's `baseUrl`: where an OAuth provider that was given no `baseUrl` of its own refreshes. */
  readonly baseUrl: string;
}

/**
 * Supplies bearer tokens. `getToken(context?)` returns a current token (refreshing if it is about to expire);
 * `invalidate(token)` says HubSpot refused that token, so the next `getToken()` must fetch a fresh one.
 *
 * A provider that cannot supply a token rejects, preferably with a `HublineError` whose code tells the engine
 * what to do: `TOKEN_ENDPOINT_UNREACHABLE` (offline: pause and probe), `TOKEN_ENDPOINT_FAILED` (back off and
 * retry), `UNAUTHORIZED` (the credentials were refused: pause until they work again).
 */
export interface TokenProvider {
  /**
   * A token valid for at least the next request.
   *
   * @param context - the engine's `baseUrl`, for a provider that refreshes at the API's own host.
   */
  getToken(context?: TokenContext): Promise<string>;
  /**
   * HubSpot refused `token`: forget it if it is still the current one.
   *
   * @param token - the token HubSpot answered 401 to.
   */
  invalidate(token: string): void;
}

/** What `accessToken` may be: a fixed string, a function (sync or async), or a {@link TokenProvider}. */
export type AccessTokenSource = string | (() => string | Promise<string>) | TokenProvider;

/**
 * One slot of a {@link RateBudget}, handed out by `acquire()`. It counts from its acquisition until `use()` says
 * when the request actually left: a slot held while earlier requests went out (a page fetched ahead of a
 * bisection) is then counted from its sending, as HubSpot counts it, not from when it was granted.
 */
export interface RateGrant {
  /** The request leaves now: the slot counts from this moment. Calling it again, or after `release()`, does nothing. */
  use(): void;
  /** The request will not be sent: give the slot back. Does nothing after `use()`. */
  release(): void;
}

/**
 * A request budget shared by every engine that talks to the same HubSpot app and account.
 * Time comes from the scheduler given at creation.
 */
export interface RateBudget {
  /**
   * Emits once (then completes) when one request may be sent; waits through pauses and a full window. Emits a
   * {@link RateGrant} (a budget of your own may emit nothing, and its slots then count from the grant).
   */
  acquire(): Observable<RateGrant | undefined>;
  /** Stop everyone sharing the budget for `delayMs` (a 429 said so). Extends, never shortens, a pause. */
  pause(delayMs: number, reason: string): void;
  /** Epoch ms (scheduler time) until which the budget is paused, or 0. */
  pausedUntil(): number;
  /** Emits the pause end time whenever a pause starts or is extended. */
  readonly paused$: Observable<{
    /** Epoch ms (scheduler time) the pause lasts until. */
    readonly until: number;
    /** Why, for status displays and logs (e.g. `429 TEN_SECONDLY_ROLLING`). */
    readonly reason: string;
  }>;
  /**
   * What HubSpot's `X-HubSpot-RateLimit-*` headers said on an answer: how many requests the whole fleet (every
   * device and process of the app on this account) has left in the window. A budget may slow down before HubSpot
   * says 429, leaving the others their share. Optional: a budget of your own may ignore it.
   *
   * @param info - the headers, read by core
   */
  observe?(info: RateLimitInfo): void;
}

/** Options of a token-bucket {@link RateBudget}. */
export interface RateBudgetOptions {
  /** Requests allowed per window. @default 100 */
  requests?: number;
  /** Window length in ms. @default 10000 */
  windowMs?: number;
  /** @default monotonicScheduler */
  scheduler?: SchedulerLike;
}
