import { createMemoryStore } from '@hubline/outbox/testing';
import { describe, expect, it } from 'vitest';
import { fakeDialect } from '../../test/support/fake-dialect.js';
import { resolveSyncOptions } from './options.js';

const fallbacks = {
  dialect: () => fakeDialect,
  transport: () => async () => ({ kind: 'response' as const, status: 201, headers: {}, body: '' }),
};
const resolve = (owner?: string) =>
  resolveSyncOptions(
    { outbox: createMemoryStore(), accessToken: 'token', ...(owner === undefined ? {} : { owner }) },
    fallbacks,
  );

describe('resolveSyncOptions', () => {
  it('gives each engine its own short lease owner id unless one is given', () => {
    const owners = new Set(Array.from({ length: 1000 }, () => resolve().owner));
    expect(owners.size).toBe(1000);
    for (const owner of owners) expect(owner).toMatch(/^engine-[A-Za-z0-9_-]{12}$/);
    expect(resolve('kiosk-7').owner).toBe('kiosk-7');
    // Written into the store and shown in logs as it is: no NUL, no forged log line.
    for (const owner of ['kiosk\u00007', 'kiosk-7\nERROR forged', '']) {
      expect(() => resolve(owner)).toThrow(
        /owner: must be a non-empty string of at most 200 characters, without control characters/,
      );
    }
  });

  it('names every bad field in one error', () => {
    const attempt = () =>
      resolveSyncOptions(
        { outbox: createMemoryStore(), accessToken: '', batchSize: 0, baseUrl: 'ftp://x' },
        fallbacks,
      );
    expect(attempt).toThrow(/3 problems/);
    for (const field of ['accessToken:', 'baseUrl:', 'batchSize: must be a positive integer, got 0']) {
      expect(attempt).toThrow(field);
    }
  });

  it('refuses delays a timer cannot wait (above 2^31-1 ms) and options of the wrong kind, naming each', () => {
    const attempt = () =>
      resolveSyncOptions(
        {
          outbox: createMemoryStore(),
          accessToken: 'token',
          pollIntervalMs: 2 ** 31,
          backoff: { maxMs: Number.POSITIVE_INFINITY },
          batchDelayMs: -1,
          confirmWindowMs: Number.NaN,
          rateLimit: { requests: 100, windowMs: Number.NaN },
          logger: console.log as never,
          scheduler: {} as never,
          random: 0.5 as never,
          owner: '',
        },
        fallbacks,
      );
    for (const field of [
      'pollIntervalMs: must be a whole number of ms from 1 to 2147483647, got 2147483648',
      'backoff.maxMs:',
      'batchDelayMs: must be a whole number of ms from 0',
      'confirmWindowMs: must be a whole number of ms from 0',
      'rateLimit.windowMs:',
      'logger: must be a logger',
      'scheduler: must be an RxJS SchedulerLike',
      'random: must be a function',
      'owner: must be a non-empty string',
    ]) {
      expect(attempt).toThrow(field);
    }
  });

  it('confirms an event whose last attempt may still land for 10 minutes unless told otherwise', () => {
    expect(resolve().confirmWindowMs).toBe(600_000);
  });

  it('keeps the default lease within what a timer can wait when the request timeout is long', () => {
    const resolved = resolveSyncOptions(
      { outbox: createMemoryStore(), accessToken: 'token', requestTimeoutMs: 1_000_000_000 },
      fallbacks,
    );
    expect(resolved.leaseMs).toBe(2 ** 31 - 1);
  });
});
