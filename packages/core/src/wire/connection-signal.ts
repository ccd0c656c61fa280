import type { HubSpotErrorBody } from './hubspot-error-body.js';
import { type AnswerTiming, rateLimitDelay } from './interpret-options.js';
import { readRateLimitPolicy } from './rate-limit-headers.js';
import type { GlobalSignal } from './types.js';

/**
 * The signal about the whole connection that a 401, 403 or 429 carries, for a batch and a read-back alike:
 * `unauthorized` and `forbidden` with HubSpot's category and message, `rate-limited` with the policy the body
 * names and the pause (`Retry-After`, else the interval header, else the policy's window). `undefined` for any
 * other status.
 *
 * @param status - The HTTP status.
 * @param error - HubSpot's error fields read from the body.
 * @param body - The raw body, searched for the policy when it is not JSON.
 * @param timing - `Retry-After`, rate-limit headers and delay defaults.
 */
export function connectionSignal(
  status: number,
  error: HubSpotErrorBody,
  body: string,
  timing: AnswerTiming,
): GlobalSignal | undefined {
  switch (status) {
    case 401:
      return {
        type: 'unauthorized',
        category: error.category ?? 'UNAUTHORIZED',
        message: error.message ?? 'HTTP 401',
      };
    case 403:
      return {
        type: 'forbidden',
        category: error.category ?? 'FORBIDDEN',
        message: error.message ?? 'HTTP 403',
      };
    case 429: {
      const policy = readRateLimitPolicy(error.policyName, error.isJson ? error.message : body);
      const delayMs = timing.retryAfterMs ?? rateLimitDelay(policy, timing);
      return { type: 'rate-limited', policy, delayMs };
    }
    default:
      return undefined;
  }
}
