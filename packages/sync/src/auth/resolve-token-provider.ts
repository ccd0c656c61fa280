import { ValidationError } from '@hubline/core';
import type { AccessTokenSource, TokenProvider } from '../contracts.js';

/** Whether `value` is a {@link TokenProvider} (an object with `getToken` and `invalidate`). */
function isTokenProvider(value: unknown): value is TokenProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TokenProvider).getToken === 'function' &&
    typeof (value as TokenProvider).invalidate === 'function'
  );
}

/**
 * Turns whatever the app gave as `accessToken` into a {@link TokenProvider}. The engine's internals: an app
 * passes its token source to `createSyncEngine` and never calls this.
 *
 * - a string is a fixed token; `invalidate` does nothing, since there is nothing fresher to get;
 * - a function is asked for a token on every `getToken()`, so after `invalidate` its next answer is used;
 * - a provider is returned as it is, and gets the engine's context (its `baseUrl`) with every `getToken`.
 *
 * @param source - a token, a function returning one (sync or async), or a provider.
 * @throws ValidationError (`VALIDATION_FAILED`, field `accessToken`) for an empty string or any other value.
 * @example
 * ```ts
 * const provider = resolveTokenProvider(process.env.HUBSPOT_TOKEN ?? '');
 * const token = await provider.getToken({ baseUrl: 'https://api.hubapi.com' });
 * ```
 */
export function resolveTokenProvider(source: AccessTokenSource): TokenProvider {
  if (typeof source === 'string') {
    if (source.length === 0) throw invalid('must not be an empty string');
    return { getToken: () => Promise.resolve(source), invalidate: () => {} };
  }
  if (typeof source === 'function') {
    return {
      // Promise.resolve().then turns a synchronous throw into a rejection, as callers of getToken expect; the
      // arrow keeps the context away from a function that takes no arguments.
      getToken: () => Promise.resolve().then(() => source()),
      invalidate: () => {},
    };
  }
  if (isTokenProvider(source)) return source;
  throw invalid('must be a string, a function returning a token, or a TokenProvider');
}

function invalid(message: string): ValidationError {
  return new ValidationError('access token source', [{ path: 'accessToken', message }]);
}
