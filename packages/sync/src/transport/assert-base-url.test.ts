import { isHublineError } from '@hubline/core';
import { createMemoryStore } from '@hubline/outbox/testing';
import { describe, expect, it } from 'vitest';
import { fakeDialect } from '../../test/support/fake-dialect.js';
import { resolveSyncOptions } from '../engine/options.js';
import { assertBaseUrl, baseUrlIssues } from './assert-base-url.js';

describe('assertBaseUrl', () => {
  it.each([
    ['https://api.hubapi.com', 'https://api.hubapi.com'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000'],
    ['https://proxy.example.com/hubspot//', 'https://proxy.example.com/hubspot'],
  ])('accepts %s and returns it without trailing slashes', (value, expected) => {
    expect(assertBaseUrl(value, 'baseUrl')).toBe(expected);
  });

  it.each([
    ['user info', 'https://app:pw-9f8e@api.hubapi.com', /user info/],
    ['a user name alone', 'https://pw-9f8e@api.hubapi.com', /user info/],
    ['a query string', 'https://api.hubapi.com/?hapikey=pw-9f8e', /query string/],
    ['an empty query', 'https://api.hubapi.com/?', /query string/],
    ['a fragment', 'https://api.hubapi.com/#pw-9f8e', /fragment/],
    ['another scheme', 'ftp://api.hubapi.com', /http\(s\)/],
    ['no scheme', 'api.hubapi.com', /http\(s\) URL/],
    ['a line feed the parser would drop', 'https://api.hub\napi.com', /whitespace or control/],
    ['leading whitespace', ' https://api.hubapi.com', /whitespace or control/],
    ['an empty string', '', /http\(s\) URL string/],
    ['a number', 42, /http\(s\) URL string/],
  ])(
    'refuses %s with VALIDATION_FAILED naming the field, never quoting the value',
    (_title, value, reason) => {
      let thrown: unknown;
      try {
        assertBaseUrl(value, 'tokenBaseUrl');
      } catch (error) {
        thrown = error;
      }

      expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
      expect((thrown as Error).message).toContain('tokenBaseUrl:');
      expect((thrown as Error).message).toMatch(reason);
      expect((thrown as Error).message).not.toContain('pw-9f8e');
      expect(baseUrlIssues(value, 'tokenBaseUrl')).toHaveLength(1);
    },
  );
});

describe('the engine’s baseUrl option', () => {
  const fallbacks = {
    dialect: () => fakeDialect,
    transport: () => async () => ({ kind: 'response' as const, status: 201, headers: {}, body: '' }),
  };

  it('is refused with user info or a query string, alongside every other bad field', () => {
    for (const baseUrl of ['https://app:pw-9f8e@api.hubapi.com', 'https://api.hubapi.com?hapikey=pw-9f8e']) {
      const attempt = () =>
        resolveSyncOptions(
          { outbox: createMemoryStore(), accessToken: 't', baseUrl, batchSize: 0 },
          fallbacks,
        );

      expect(attempt).toThrow(/2 problems/);
      expect(attempt).toThrow(/baseUrl: must not carry/);
      expect(attempt).not.toThrow(/pw-9f8e/);
    }
  });

  it('is kept without its trailing slash when it is a plain http(s) URL', () => {
    const resolved = resolveSyncOptions(
      { outbox: createMemoryStore(), accessToken: 't', baseUrl: 'http://127.0.0.1:8080/' },
      fallbacks,
    );

    expect(resolved.baseUrl).toBe('http://127.0.0.1:8080');
  });
});
