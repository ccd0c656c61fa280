import { isHublineError } from '@hubline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { errorOf, manualClock, type TempDir, tempDir } from './support.js';

describe('Outbox.budgets', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('keeps a pause in the file: every outbox on it sees it, and so does the next one after a restart', () => {
    const clock = manualClock();
    const path = temp.path();
    const first = openOutbox({ path, clock: clock.now });
    const second = openOutbox({ path, clock: clock.now });
    first.budgets.pause('portal-1', 3_600_000, '429 DAILY');
    expect(second.budgets.pausedFor('portal-1')).toEqual({ remainingMs: 3_600_000, reason: '429 DAILY' });
    expect(second.budgets.pausedFor('portal-2')).toBeUndefined();
    first.close();
    second.close();
    clock.advance(600_000);
    const restarted = openOutbox({ path, clock: clock.now });
    expect(restarted.budgets.pausedFor('portal-1')).toEqual({ remainingMs: 3_000_000, reason: '429 DAILY' });
    clock.advance(3_000_000);
    expect(restarted.budgets.pausedFor('portal-1')).toBeUndefined();
    restarted.close();
  });

  it('extends a pause but never shortens it, keeping the reason of the one that ends later', () => {
    const clock = manualClock();
    const outbox = openOutbox({ path: temp.path(), clock: clock.now });
    outbox.budgets.pause('portal-1', 10_000, '429 TEN_SECONDLY_ROLLING');
    outbox.budgets.pause('portal-1', 5_000, 'shorter');
    expect(outbox.budgets.pausedFor('portal-1')).toEqual({
      remainingMs: 10_000,
      reason: '429 TEN_SECONDLY_ROLLING',
    });
    outbox.budgets.pause('portal-1', 60_000, '429 DAILY');
    expect(outbox.budgets.pausedFor('portal-1')).toEqual({ remainingMs: 60_000, reason: '429 DAILY' });
    outbox.close();
  });

  it('refuses a pause it cannot keep, naming the argument', () => {
    const outbox = openOutbox({ path: ':memory:' });
    const refused = (run: () => unknown, field: RegExp) => {
      const error = errorOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    };
    refused(() => outbox.budgets.pause('', 1000, 'x'), /key: must be a non-empty string/);
    refused(
      () => outbox.budgets.pause('a', 2 ** 31, 'x'),
      /delayMs: must be a number of ms from 0 to 2147483647/,
    );
    refused(() => outbox.budgets.pause('a', Number.NaN, 'x'), /delayMs/);
    refused(() => outbox.budgets.pause('a', -1, 'x'), /delayMs/);
    refused(() => outbox.budgets.pause('a', 1000, 42 as never), /reason: must be a string/);
    refused(() => outbox.budgets.pausedFor(7 as never), /key/);
    outbox.close();
    expect(
      isHublineError(
        errorOf(() => outbox.budgets.pausedFor('a')),
        'OUTBOX_CLOSED',
      ),
    ).toBe(true);
  });
});
