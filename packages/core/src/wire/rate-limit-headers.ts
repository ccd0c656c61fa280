import type { RateLimitInfo, RateLimitPolicy } from './types.js';

const HEADER = {
  max: 'x-hubspot-ratelimit-max',
  remaining: 'x-hubspot-ratelimit-remaining',
  intervalMs: 'x-hubspot-ratelimit-interval-milliseconds',
  daily: 'x-hubspot-ratelimit-daily',
  dailyRemaining: 'x-hubspot-ratelimit-daily-remaining',
} as const;

/**
 * Read HubSpot's `X-HubSpot-RateLimit-*` headers. Names are matched without regard to case; values that are
 * not non-negative integers are ignored.
 *
 * @param headers - Response headers (the {@link HttpAnswer} contract gives them in lower case).
 * @returns The limits found, or `undefined` when none of the headers is present and valid.
 *
 * @example
 * ```ts
 * readRateLimitHeaders({ 'x-hubspot-ratelimit-remaining': '97' }); // { remaining: 97 }
 * ```
 */
export function readRateLimitHeaders(headers: Readonly<Record<string, string>>): RateLimitInfo | undefined {
  const info: { -readonly [K in keyof RateLimitInfo]: number } = {};
  for (const [field, name] of Object.entries(HEADER) as [keyof RateLimitInfo, string][]) {
    const value = nonNegativeInteger(headerValue(headers, name));
    if (value !== undefined) info[field] = value;
  }
  return Object.keys(info).length === 0 ? undefined : info;
}

/**
 * Read a header without regard to the case of its name.
 *
 * @param headers - Response headers.
 * @param name - The header name in lower case.
 */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/**
 * Turn a `Retry-After` header into milliseconds: delay-seconds (`"10"`, also `"1.5"`), or an HTTP date when
 * `now` is known. A date in the past gives 0.
 *
 * @param value - The header value, if any.
 * @param now - The current time in epoch milliseconds; without it an HTTP date is ignored.
 * @returns The delay in whole milliseconds, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now?: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // An HTTP date always names its weekday or month; this keeps Date.parse from reading "-5" as a year.
  if (now === undefined || !/[A-Za-z]/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Which rate-limit policy a 429 names: its `policyName`, else its message ("You have reached your
 * ten_secondly_rolling limit.", "…secondly limit.", "…daily limit.").
 *
 * @param policyName - The body's `policyName`, if any.
 * @param text - The body's message, or the raw body when it is not JSON.
 */
export function readRateLimitPolicy(
  policyName: string | undefined,
  text: string | undefined,
): RateLimitPolicy {
  const named = policyName?.trim().toUpperCase();
  if (named === 'TEN_SECONDLY_ROLLING' || named === 'SECONDLY' || named === 'DAILY') return named;
  const lower = text?.toLowerCase() ?? '';
  // Order matters: "ten_secondly_rolling" contains "secondly".
  if (/ten[_\s-]?secondly/.test(lower)) return 'TEN_SECONDLY_ROLLING';
  if (/\bsecondly\b/.test(lower)) return 'SECONDLY';
  if (/\bdaily\b/.test(lower)) return 'DAILY';
  return 'UNKNOWN';
}

function nonNegativeInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
