import { DeliveryError } from '@hubline/core';
import { readCappedBody } from '../transport/read-capped-body.js';
import { redactSecrets } from '../transport/redact-secrets.js';

/** What HubSpot's token endpoint granted. */
export interface TokenGrant {
  /** The new access token (`access_token`), sent as the bearer until it expires or a 401 invalidates it. */
  readonly accessToken: string;
  /** How long the access token lives, in ms (`expires_in`). */
  readonly lifetimeMs: number;
  /** A new refresh token, when HubSpot rotated it. */
  readonly refreshToken?: string;
}

/** A grant, or the error to reject with and how long the endpoint asked to be left alone. */
export type GrantResult =
  | {
      readonly ok: true;
      /** What the endpoint granted. */
      readonly grant: TokenGrant;
    }
  | {
      readonly ok: false;
      /**
       * Why there is no token, its `code` saying what to do: `TOKEN_ENDPOINT_UNREACHABLE`,
       * `TOKEN_ENDPOINT_FAILED` or `UNAUTHORIZED`. Its message carries no secret.
       */
      readonly error: DeliveryError;
      /** The endpoint's `Retry-After` (delta seconds only) in ms, at most 5 minutes; absent when it sent none. */
      readonly retryAfterMs?: number;
    };

/** One refresh request. */
export interface GrantRequest {
  /** `<baseUrl>/oauth/v1/token`. */
  readonly tokenUrl: string;
  /** The form to post (grant type, client id and secret, refresh token). */
  readonly form: URLSearchParams;
  /** Sends the request; the provider's `fetch` option, else the global one. Redirects are never followed. */
  readonly fetch: typeof fetch;
  /** Give up after this long; the endpoint then counts as unreachable. */
  readonly timeoutMs: number;
  /** Every secret no message may carry, in any encoding. */
  readonly secrets: Iterable<string>;
}

/** A token answer is a few hundred bytes; anything much larger is not one, and is not read to the end. */
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
/** The longest `Retry-After` honoured, so a wrong header cannot park the provider for a day. */
const MAX_RETRY_AFTER_MS = 300_000;

type FailureCode = 'TOKEN_ENDPOINT_UNREACHABLE' | 'TOKEN_ENDPOINT_FAILED' | 'UNAUTHORIZED';

/**
 * Exchanges a refresh token at HubSpot's token endpoint and says what happened, as the engine needs to know it:
 *
 * - no connection, a broken one, or no answer within `timeoutMs` → `TOKEN_ENDPOINT_UNREACHABLE` (offline);
 * - a 5xx, 408 or 429, a redirect (not followed: the form carries the client secret), a 2xx without a token, an
 *   answer over 64 KiB, or a 4xx that is not JSON (a proxy's page, not HubSpot) → `TOKEN_ENDPOINT_FAILED`;
 * - any other 4xx (HubSpot refused the refresh token or the client: `BAD_REFRESH_TOKEN`, `invalid_grant`, …)
 *   → `UNAUTHORIZED`, with HubSpot's status, category and words.
 *
 * Never rejects. No message or category carries a secret, in raw, URL- or form-encoded form.
 *
 * @param request - where to post what, and the secrets to keep out of messages.
 */
export async function requestTokenGrant(request: GrantRequest): Promise<GrantResult> {
  const fail = (
    code: FailureCode,
    message: string,
    extra: { status?: number; category?: string; cause?: unknown; retryAfterMs?: number } = {},
  ): GrantResult => {
    const { retryAfterMs, ...details } = extra;
    const safe = (text: string) => redactSecrets(text, request.secrets);
    const error = new DeliveryError(code, safe(`OAuth token refresh failed: ${message}`), {
      ...details,
      ...(details.category === undefined ? {} : { category: safe(details.category) }),
    });
    return retryAfterMs === undefined ? { ok: false, error } : { ok: false, error, retryAfterMs };
  };
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${request.timeoutMs} ms`)),
    request.timeoutMs,
  );
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: request.form.toString(),
      redirect: 'manual',
      signal: controller.signal,
    });
    const read = await readCappedBody(response, MAX_TOKEN_ANSWER_BYTES);
    if (read.kind === 'too-large') {
      controller.abort();
      return fail(
        'TOKEN_ENDPOINT_FAILED',
        `the HTTP ${response.status} answer is over ${MAX_TOKEN_ANSWER_BYTES} bytes: not a token`,
        {
          status: response.status,
        },
      );
    }
    text = read.text;
  } catch (error) {
    // The cause is the network error only: it never holds the form body.
    const reason = controller.signal.aborted
      ? `no answer within ${request.timeoutMs} ms`
      : describeNetworkError(error);
    return fail('TOKEN_ENDPOINT_UNREACHABLE', `could not reach ${request.tokenUrl} (${reason})`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  return interpret(response, text, fail);
}

/** Builds a failed {@link GrantResult}: the code, the message (redacted), and what the answer said. */
type Fail = (
  code: FailureCode,
  message: string,
  extra?: { status?: number; category?: string; retryAfterMs?: number },
) => GrantResult;

function interpret(response: Response, text: string, fail: Fail): GrantResult {
  const { status } = response;
  const payload = parseJson(text);
  if (status >= 200 && status < 300) return grantFrom(status, payload, fail);
  if (status >= 300 && status < 400) {
    return fail(
      'TOKEN_ENDPOINT_FAILED',
      `redirected (HTTP ${status}); not followed, since the form carries the client secret`,
      { status },
    );
  }
  return refusalFrom(response, payload, fail);
}

/** A 2xx: the grant, when it holds an access token and a positive lifetime; else the endpoint failed. */
function grantFrom(status: number, payload: Json, fail: Fail): GrantResult {
  const accessToken = stringField(payload, 'access_token');
  const expiresIn = payload?.expires_in;
  if (accessToken === undefined || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    return fail(
      'TOKEN_ENDPOINT_FAILED',
      `the HTTP ${status} answer had no access_token and positive expires_in`,
      {
        status,
      },
    );
  }
  const refreshToken = stringField(payload, 'refresh_token');
  return {
    ok: true,
    grant: {
      accessToken,
      lifetimeMs: expiresIn * 1000,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    },
  };
}

/**
 * A 4xx or 5xx: a 408, a 429, a 5xx or a body that is not JSON (a proxy's page) is the endpoint failing, with its
 * `Retry-After`; any other 4xx is HubSpot refusing the refresh, with its status, category and words.
 */
function refusalFrom(response: Response, payload: Json, fail: Fail): GrantResult {
  const { status } = response;
  const category =
    stringField(payload, 'category') ?? nonGenericStatus(payload) ?? stringField(payload, 'error');
  const words = stringField(payload, 'message') ?? stringField(payload, 'error_description');
  const detail = [category, words].filter((part) => part !== undefined).join(': ');
  const message = `HTTP ${status}${detail ? ` ${detail}` : ''}`;
  const extra = { status, ...(category === undefined ? {} : { category }) };
  if (status === 408 || status === 429 || status >= 500 || payload === undefined) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return fail(
      'TOKEN_ENDPOINT_FAILED',
      message,
      retryAfterMs === undefined ? extra : { ...extra, retryAfterMs },
    );
  }
  return fail('UNAUTHORIZED', message, extra);
}

type Json = Record<string, unknown> | undefined;

function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
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

/** Delta seconds only: an HTTP date would need the wall clock, and the provider's own backoff covers it. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Math.min(Number(header) * 1000, MAX_RETRY_AFTER_MS);
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
