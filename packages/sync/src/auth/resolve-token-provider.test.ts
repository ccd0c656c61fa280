import { isHublineError } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import type { AccessTokenSource, TokenProvider } from '../contracts.js';
import { resolveTokenProvider } from './resolve-token-provider.js';

describe('resolveTokenProvider', () => {
  it('serves a fixed string and ignores invalidate', async () => {
    const provider = resolveTokenProvider('pat-fixed');

    provider.invalidate('pat-fixed');

    await expect(provider.getToken()).resolves.toBe('pat-fixed');
  });

  it('asks a function on every call, so a fresh answer follows an invalidate', async () => {
    let calls = 0;
    const provider = resolveTokenProvider(async () => `token-${++calls}`);

    await expect(provider.getToken()).resolves.toBe('token-1');
    provider.invalidate('token-1');
    await expect(provider.getToken()).resolves.toBe('token-2');
  });

  it('accepts a synchronous function and turns its throw into a rejection', async () => {
    const provider = resolveTokenProvider(() => {
      throw new Error('vault locked');
    });

    await expect(provider.getToken()).rejects.toThrow('vault locked');
  });

  it('returns a provider as it is', () => {
    const custom: TokenProvider = { getToken: async () => 'x', invalidate: () => {} };

    expect(resolveTokenProvider(custom)).toBe(custom);
  });

  it('refuses an empty token or a value of the wrong kind, naming accessToken', () => {
    for (const bad of ['', 42, { getToken: () => 'x' }] as unknown as AccessTokenSource[]) {
      let thrown: unknown;
      try {
        resolveTokenProvider(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
      expect((thrown as Error).message).toContain('accessToken');
    }
  });
});
