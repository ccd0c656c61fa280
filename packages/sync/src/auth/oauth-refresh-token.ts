import { type DeliveryError, ValidationError, type ValidationIssue } from '@hubline/core';
import type { TokenContext, TokenProvider } from '../contracts.js';
import { assertBaseUrl, baseUrlIssues } from '../transport/assert-base-url.js';
import { requestTokenGrant } from './request-token-grant.js';

/** Options of {@link oauthRefreshToken}. */
export interface OAuthRefreshTokenOptions {
  /** The HubSpot app's client id. */
  clientId: string;
  /** The HubSpot app's client secret. Never logged or put in an error message. */
  clientSecret: string;
  /** The refresh token from the install. Replaced in memory when HubSpot rotates it. */
  refreshToken: string;
  /**
   * Where `/oauth/v1/token` lives. Leave it out to refresh where the engine sends (its `baseUrl`, handed over in
   * `getToken({ baseUrl })`), so HubSpot, or the emulator in tests, is named once.
   * @default the engine's `baseUrl`, or 'https://api.hubapi.com' when called without one
   */
  baseUrl?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Epoch-ms clock used for expiry and for the failure backoff. @default Date.now */
  clock?: () => number;
  /**
   * Refresh this long before the access token expires, so a request never leaves with a token that dies on
   * the way. Capped at half the token's lifetime. @default 60000
   */
  refreshSkewMs?: number;
  /** Give up on one refresh request after this long (the endpoint then counts as unreachable). @default 30000 */
  timeoutMs?: number;
  /** Called with the new refresh token when HubSpot issues one, so the app can store it. */
  onRefreshToken?: (newRefreshToken: string) => void;
  /**
   * An access token obtained before (stored across a restart), used until shortly before `expiresAt` instead of
   * refreshing at once.
   */
  accessToken?: {
    /** The access token. */
    readonly token: string;
    /** When it expires, epoch ms. */
    readonly expiresAt: number;
  };
  /** Called with each new access token and when it expires (epoch ms), so the app can store it. */
  onAccessToken?: (token: string, expiresAt: number) => void;
}

/** Where HubSpot's token endpoint lives when neither the provider nor the engine says otherwise. */
const DEFAULT_BASE_URL = 'https://api.hubapi.com';
/** After a failed refresh, the same rejection is replayed this long (doubling per failure in a row, up to the max). */
const FAILURE_BACKOFF = { baseMs: 1000, maxMs: 60_000 } as const;

interface CachedToken {
  readonly accessToken: string;
  /** Epoch ms when it was obtained: a clock now earlier than this stepped back, and the token is not trusted. */
  readonly obtainedAt: number;
  /** Epoch ms after which the token is no longer handed out. */
  readonly refreshAt: number;
}

interface RememberedFailure {
  readonly error: DeliveryError;
  readonly at: number;
  readonly delayMs: number;
}

/**
 * A {@link TokenProvider} that exchanges a HubSpot OAuth refresh token for access tokens
 * (`POST /oauth/v1/token`, `grant_type=refresh_token`) and caches each until shortly before it expires.
 *
 * Concurrent `getToken()` calls share one refresh. `invalidate(token)` forgets the cached token only if it is
 * still the current one, so a late 401 for an old token does not cause a second refresh. A failed refresh
 * rejects with a `DeliveryError` whose code tells the engine what to do: `TOKEN_ENDPOINT_UNREACHABLE` (no
 * connection or no answer in time: the engine treats it as offline and probes), `TOKEN_ENDPOINT_FAILED` (a 5xx, a
 * 429 or an answer that is not a token: back off), `UNAUTHORIZED` (HubSpot refused the refresh token or the
 * client, with its status, category and words). A failing endpoint is not hammered: for a short while after a
 * failure (1 s for an unreachable endpoint; otherwise 1 s doubling per failure in a row up to 60 s, or the
 * endpoint's `Retry-After` up to 5 min) `getToken()` rejects again with the same error without a request.
 * No error message contains the client secret, a refresh token or an access token, raw or URL- or form-encoded.
 *
 * @param options - app credentials, refresh token, and where and how to call HubSpot.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `clientId`, `clientSecret` or `refreshToken` when one is
 *   missing or empty (the message never contains their values), `baseUrl` when it is not an http(s) URL or
 *   carries user info, a query or a fragment, and `refreshSkewMs` or `timeoutMs` when out of range.
 * @example
 * ```ts
 * const accessToken = oauthRefreshToken({
 *   clientId, clientSecret, refreshToken,
 *   onRefreshToken: (next) => secrets.save('hubspot-refresh-token', next),
 * });
 * const sync = createSyncEngine({ outbox, accessToken });
 * ```
 */
export function oauthRefreshToken(options: OAuthRefreshTokenOptions): TokenProvider {
  validate(options);
  const ownBaseUrl = options.baseUrl === undefined ? undefined : assertBaseUrl(options.baseUrl, 'baseUrl');
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;
  const refreshSkewMs = options.refreshSkewMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const secrets = new Set<string>([options.clientSecret, options.refreshToken]);
  let refreshToken = options.refreshToken;
  let cached: CachedToken | undefined = seededToken(options, clock(), refreshSkewMs);
  if (cached !== undefined) secrets.add(cached.accessToken);
  let inFlight: Promise<string> | undefined;
  let failure: RememberedFailure | undefined;
  let failuresInARow = 0;

  async function refresh(baseUrl: string): Promise<string> {
    const result = await requestTokenGrant({
      tokenUrl: `${baseUrl}/oauth/v1/token`,
      form: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        refresh_token: refreshToken,
      }),
      fetch: doFetch,
      timeoutMs,
      secrets,
    });
    const at = clock();
    if (!result.ok) {
      failuresInARow += 1;
      failure = { error: result.error, at, delayMs: backoffAfter(result, failuresInARow) };
      throw result.error;
    }
    failure = undefined;
    failuresInARow = 0;
    const { accessToken, lifetimeMs, refreshToken: rotated } = result.grant;
    secrets.add(accessToken);
    cached = {
      accessToken,
      obtainedAt: at,
      refreshAt: at + lifetimeMs - Math.min(refreshSkewMs, lifetimeMs / 2),
    };
    notify(options.onAccessToken, accessToken, at + lifetimeMs);
    if (rotated !== undefined && rotated !== refreshToken) {
      refreshToken = rotated;
      secrets.add(rotated);
      try {
        options.onRefreshToken?.(rotated);
      } catch {
        // The new access token is valid whatever the app's storage callback did; failing here would stall delivery.
      }
    }
    return accessToken;
  }

  return {
    getToken(context?: TokenContext): Promise<string> {
      const now = clock();
      if (cached !== undefined && now >= cached.obtainedAt && now < cached.refreshAt) {
        return Promise.resolve(cached.accessToken);
      }
      if (inFlight !== undefined) return inFlight;
      // A clock that stepped back (now before the failure) ends the backoff rather than stretching it.
      if (failure !== undefined && now >= failure.at && now < failure.at + failure.delayMs) {
        return Promise.reject(failure.error);
      }
      let baseUrl: string;
      try {
        baseUrl =
          ownBaseUrl ??
          (context === undefined ? DEFAULT_BASE_URL : assertBaseUrl(context.baseUrl, 'baseUrl'));
      } catch (error) {
        return Promise.reject(error);
      }
      cached = undefined;
      inFlight = refresh(baseUrl).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token: string): void {
      if (cached?.accessToken === token) cached = undefined;
    },
  };
}

/** The stored access token given in the options, cached until shortly before it expires; none once past that. */
function seededToken(
  options: OAuthRefreshTokenOptions,
  now: number,
  refreshSkewMs: number,
): CachedToken | undefined {
  const seed = options.accessToken;
  if (seed === undefined || typeof seed.token !== 'string' || seed.token.length === 0) return undefined;
  const refreshAt = seed.expiresAt - refreshSkewMs;
  return Number.isFinite(refreshAt) && refreshAt > now
    ? { accessToken: seed.token, obtainedAt: now, refreshAt }
    : undefined;
}

/** Calls an app's callback, never letting it break delivery: the token is valid whatever the callback did. */
function notify(
  callback: ((token: string, expiresAt: number) => void) | undefined,
  token: string,
  at: number,
): void {
  try {
    callback?.(token, at);
  } catch {
    // The app's storage failed; the token in memory still serves.
  }
}

function backoffAfter(
  result: { error: DeliveryError; retryAfterMs?: number },
  failuresInARow: number,
): number {
  if (result.error.code === 'TOKEN_ENDPOINT_UNREACHABLE') return FAILURE_BACKOFF.baseMs;
  const doubled = Math.min(
    FAILURE_BACKOFF.baseMs * 2 ** Math.min(failuresInARow - 1, 30),
    FAILURE_BACKOFF.maxMs,
  );
  return Math.max(doubled, result.retryAfterMs ?? 0);
}

function validate(options: OAuthRefreshTokenOptions): void {
  const issues: ValidationIssue[] = [];
  for (const field of ['clientId', 'clientSecret', 'refreshToken'] as const) {
    if (typeof options[field] !== 'string' || options[field].length === 0) {
      issues.push({ path: field, message: 'is required (a non-empty string)' });
    }
  }
  if (options.baseUrl !== undefined) issues.push(...baseUrlIssues(options.baseUrl, 'baseUrl'));
  const integer = (field: 'refreshSkewMs' | 'timeoutMs', min: number): void => {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
      issues.push({ path: field, message: `must be an integer of at least ${min}, got ${String(value)}` });
    }
  };
  integer('refreshSkewMs', 0);
  integer('timeoutMs', 1);
  if (issues.length > 0) throw new ValidationError('OAuth refresh options', issues);
}
