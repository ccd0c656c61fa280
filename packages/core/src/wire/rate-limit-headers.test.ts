import { describe, expect, it } from 'vitest';
import {
  headerValue,
  parseRetryAfter,
  readRateLimitHeaders,
  readRateLimitPolicy,
} from './rate-limit-headers.js';

describe('readRateLimitHeaders', () => {
  it('reads every X-HubSpot-RateLimit-* header', () => {
    expect(
      readRateLimitHeaders({
        'x-hubspot-ratelimit-max': '100',
        'x-hubspot-ratelimit-remaining': '42',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-daily': '250000',
        'x-hubspot-ratelimit-daily-remaining': '249000',
      }),
    ).toEqual({ max: 100, remaining: 42, intervalMs: 10_000, daily: 250_000, dailyRemaining: 249_000 });
  });

  it('matches names in any case', () => {
    expect(readRateLimitHeaders({ 'X-HubSpot-RateLimit-Remaining': '0' })).toEqual({ remaining: 0 });
  });

  it.each([['-1'], ['1.5'], ['ten'], [''], ['99999999999999999999']])(
    'ignores the malformed value %j',
    (value) => {
      expect(readRateLimitHeaders({ 'x-hubspot-ratelimit-max': value })).toBeUndefined();
    },
  );

  it('gives undefined when no header is present', () => {
    expect(readRateLimitHeaders({ 'content-type': 'application/json' })).toBeUndefined();
  });
});

describe('headerValue', () => {
  it('prefers the lower-case name and falls back to any case', () => {
    expect(headerValue({ 'retry-after': '1', 'Retry-After': '2' }, 'retry-after')).toBe('1');
    expect(headerValue({ 'Retry-After': '2' }, 'retry-after')).toBe('2');
    expect(headerValue({}, 'retry-after')).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T12:00:00.000Z');
  it.each<[string | undefined, number | undefined, number | undefined]>([
    ['10', undefined, 10_000],
    [' 0 ', undefined, 0],
    ['1.5', undefined, 1500],
    ['Sun, 29 Nov 2026 12:01:00 GMT', now, 60_000],
    ['Sun, 29 Nov 2026 11:59:00 GMT', now, 0],
    ['Sun, 29 Nov 2026 12:01:00 GMT', undefined, undefined],
    ['soon', now, undefined],
    ['-5', now, undefined],
    ['', now, undefined],
    [undefined, now, undefined],
  ])('reads %j (now %j) as %j ms', (value, at, expected) => {
    expect(parseRetryAfter(value, at)).toBe(expected);
  });
});

describe('readRateLimitPolicy', () => {
  it.each<[string | undefined, string | undefined, string]>([
    ['TEN_SECONDLY_ROLLING', undefined, 'TEN_SECONDLY_ROLLING'],
    ['DAILY', 'You have reached your ten_secondly_rolling limit.', 'DAILY'],
    ['secondly', undefined, 'SECONDLY'],
    [undefined, 'You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING'],
    [undefined, 'You have reached your secondly limit.', 'SECONDLY'],
    [undefined, 'You have reached your daily limit.', 'DAILY'],
    ['SOMETHING_NEW', 'Slow down', 'UNKNOWN'],
    [undefined, undefined, 'UNKNOWN'],
  ])('policyName %j, message %j → %s', (policyName, message, expected) => {
    expect(readRateLimitPolicy(policyName, message)).toBe(expected);
  });
});
