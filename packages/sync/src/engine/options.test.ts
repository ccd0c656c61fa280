import type { Outbox } from '@hubline/outbox';
import { describe, expect, it } from 'vitest';
import { fakeDialect } from '../../test/support/fake-dialect.js';
import { resolveSyncOptions } from './options.js';

const fallbacks = {
  dialect: () => fakeDialect,
  transport: () => async () => ({ kind: 'response' as const, status: 201, headers: {}, body: '' }),
};
const resolve = (owner?: string) =>
  resolveSyncOptions(
    { outbox: {} as Outbox, accessToken: 'token', ...(owner === undefined ? {} : { owner }) },
    fallbacks,
  );

describe('resolveSyncOptions', () => {
  it('gives each engine its own short lease owner id unless one is given', () => {
    const owners = new Set(Array.from({ length: 1000 }, () => resolve().owner));
    expect(owners.size).toBe(1000);
    for (const owner of owners) expect(owner).toMatch(/^engine-[A-Za-z0-9_-]{12}$/);
    expect(resolve('kiosk-7').owner).toBe('kiosk-7');
  });

  it('names every bad field in one error', () => {
    const attempt = () =>
      resolveSyncOptions(
        { outbox: {} as Outbox, accessToken: '', batchSize: 0, baseUrl: 'ftp://x' },
        fallbacks,
      );
    expect(attempt).toThrow(/3 problems/);
    for (const field of ['accessToken:', 'baseUrl:', 'batchSize: must be a positive integer, got 0']) {
      expect(attempt).toThrow(field);
    }
  });
});
