import { DeliveryError, ValidationError, type ValidationIssue } from '@hubline/core';
import type { TokenProvider } from '../contracts.js';

/** Options of {@link oauthRefreshToken}. */
export interface OAuthRefreshTokenOptions {
  /** The HubSpot app's client id. */
  clientId: string;
  /** The HubSpot app's client secret. Never logged or put in an error message. */
  clientSecret: string;
  /** The refresh token from the install. Replaced in memory when HubSpot rotates it. */
  refreshToken: string;
  /** Where `/oauth/v1/token` lives (the emulator's URL in tests). @default 'https://api.hubapi.com' */
  baseUrl?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Epoch-ms clock used for expiry. @default Date.now */
  clock?: () => number;
  /**
   * Refresh this long before the access token expires, so a request never leaves with a token that dies on
   * the way. Capped at half the token's lifetime. @default 60000
   */
  refreshSkewMs?: number;
  /** Give up on one refresh request after this long. @default 30000 */
  timeoutMs?: number;
  /** Called with the new refresh token when HubSpot issues one, so the app can store it. */
  onRefreshToken?: (newRefreshToken: string) => void;
}

interface CachedToken {
  readonly accessToken: string;
  /** Epoch ms after which the token is no longer handed out. */
  readonly refreshAt: number;
}

/**
 * A {@link TokenProvider} that exchanges a HubSpot OAuth refresh token for access tokens
 * (`POST /oauth/v1/token`, `grant_type=refresh_token`) and caches each until shortly before it expires.
 *
 * Concurrent `getToken()` calls share one refresh. `invalidate(token)` forgets the cached token only if it is
 * still the current one, so a late 401 for an old token does not cause a second refresh. A failed refresh
 * rejects with a `DeliveryError` of code `UNAUTHORIZED` carrying HubSpot's message and category; it is not
 * cached, so the next `getToken()` tries again. No error message contains the client secret, the refresh
 * token or an access token.
 *
 * @param options - app credentials, refresh token, and where and how to call HubSpot.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `clientId`, `clientSecret` or `refreshToken` when one is
 *   missing or empty; the message never contains their values.
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
  const issues: ValidationIssue[] = [];
  for (const field of ['clientId', 'clientSecret', 'refreshToken'] as const) {
    if (typeof options[field] !== 'string' || options[field].length === 0) {
      issues.push({ path: field, message: 'is required (a non-empty string)' });
    }
  }
  if (issues.length > 0) throw new ValidationError('OAuth refresh options', issues);
  const baseUrl = (options.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;
  const refreshSkewMs = options.refreshSkewMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const secrets = new Set<string>([options.clientSecret, options.refreshToken]);
  let refreshToken = options.refreshToken;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  const fail = (message: string, extra: { status?: number; category?: string; cause?: unknown } = {}) =>
    new DeliveryError('UNAUTHORIZED', redact(`OAuth token refresh failed: ${message}`, secrets), extra);

  async function refresh(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      refresh_token: refreshToken,
    });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${baseUrl}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // The cause is the network error only: it never holds the form body.
      throw fail(`could not reach ${baseUrl}/oauth/v1/token (${describeNetworkError(error)})`, {
        cause: error,
      });
    }
    const payload = parseJson(text);
    if (!response.ok) {
      const category = stringField(payload, 'category') ?? nonGenericStatus(payload);
      const hubspotMessage = stringField(payload, 'message');
      const detail = [category, hubspotMessage].filter((part) => part !== undefined).join(': ');
      throw fail(`HTTP ${response.status}${detail ? ` ${detail}` : ''}`, {
        status: response.status,
        ...(category === undefined ? {} : { category }),
      });
    }
    const accessToken = stringField(payload, 'access_token');
    const expiresIn = payload?.expires_in;
    if (accessToken === undefined || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw fail('the answer had no access_token and positive expires_in', { status: response.status });
    }
    secrets.add(accessToken);
    const lifetimeMs = expiresIn * 1000;
    cached = { accessToken, refreshAt: clock() + lifetimeMs - Math.min(refreshSkewMs, lifetimeMs / 2) };
    const rotated = stringField(payload, 'refresh_token');
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
    getToken(): Promise<string> {
      if (cached !== undefined && clock() < cached.refreshAt) return Promise.resolve(cached.accessToken);
      if (inFlight === undefined) {
        cached = undefined;
        inFlight = refresh().finally(() => {
          inFlight = undefined;
        });
      }
      return inFlight;
    },
    invalidate(token: string): void {
      if (cached?.accessToken === token) cached = undefined;
    },
  };
}

type Json = Record<string, unknown> | undefined;

function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(payload: Json, field: string): string | undefined {
  const value = payload?.[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** HubSpot's OAuth errors put the reason in `status` (`BAD_REFRESH_TOKEN`); API errors say `"error"` there. */
function nonGenericStatus(payload: Json): string | undefined {
  const status = stringField(payload, 'status');
  return status === undefined || status.toLowerCase() === 'error' ? undefined : status;
}

function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  let description = 'network error';
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (name === 'TimeoutError') return 'timed out';
    if (typeof message === 'string') description = message;
    current = (current as { cause?: unknown }).cause;
  }
  return description;
}

function redact(message: string, secrets: ReadonlySet<string>): string {
  let safe = message;
  for (const secret of secrets) if (secret.length > 0) safe = safe.split(secret).join('[redacted]');
  return safe;
}
