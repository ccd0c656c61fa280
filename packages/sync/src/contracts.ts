import type { HttpAnswer } from '@hubline/core';
import type { Observable, SchedulerLike } from 'rxjs';

/** One HTTP request the engine asks the transport to make. */
export interface TransportRequest {
  /** Base URL, e.g. `https://api.hubapi.com` or the emulator's URL. No trailing slash needed. */
  readonly baseUrl: string;
  /** Path below the base URL. */
  readonly path: string;
  readonly method: 'POST';
  /** Serialised JSON body. */
  readonly body: string;
  /** Bearer token. The transport must never log it or put it in an error message. */
  readonly accessToken: string;
  /** Give up after this many ms and answer `{ kind: 'failure', failure: 'timeout' }`. */
  readonly timeoutMs: number;
  /** Aborts the request (engine stopping); answer `{ kind: 'failure', failure: 'aborted' }`. */
  readonly signal?: AbortSignal;
}

/**
 * Sends one request and reports what came back. Never rejects: every failure is an {@link HttpAnswer} of kind
 * `failure` (timeout, reset, offline, aborted).
 */
export type Transport = (request: TransportRequest) => Promise<HttpAnswer>;

/**
 * Supplies bearer tokens. `getToken()` returns a current token (refreshing if it is about to expire);
 * `invalidate(token)` says HubSpot refused that token, so the next `getToken()` must fetch a fresh one.
 */
export interface TokenProvider {
  getToken(): Promise<string>;
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
  readonly paused$: Observable<{ readonly until: number; readonly reason: string }>;
}

/** Options of a token-bucket {@link RateBudget}. */
export interface RateBudgetOptions {
  /** Requests allowed per window. @default 100 */
  requests?: number;
  /** Window length in ms. @default 10000 */
  windowMs?: number;
  /** @default asyncScheduler */
  scheduler?: SchedulerLike;
}
