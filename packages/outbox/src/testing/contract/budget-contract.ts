import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { asKept, type ContractHarness, failureOf, HOSTILE_TEXT } from './harness.js';

/**
 * Budget pauses kept by the store: shared by every handle, extended but never shortened.
 *
 * @param h - the suite's harness
 */
export function budgetContract(h: ContractHarness): void {
  it('pauses a budget for every handle on the store until the pause runs out', async () => {
    const store = await h.open();
    const other = await h.connect(store);
    expect(await store.budgets.pausedFor('portal-1')).toBeUndefined();
    await store.budgets.pause('portal-1', 60_000, '429 TEN_SECONDLY_ROLLING');
    expect(await other.budgets.pausedFor('portal-1')).toEqual({
      remainingMs: 60_000,
      reason: '429 TEN_SECONDLY_ROLLING',
    });
    expect(await other.budgets.pausedFor('portal-2')).toBeUndefined();
    h.clock.advance(59_999);
    expect(await store.budgets.pausedFor('portal-1')).toEqual({
      remainingMs: 1,
      reason: '429 TEN_SECONDLY_ROLLING',
    });
    h.clock.advance(1);
    expect(await store.budgets.pausedFor('portal-1')).toBeUndefined();
  });

  it('extends a pause but never shortens it, keeping the reason of the one that ends later', async () => {
    const store = await h.open();
    await store.budgets.pause('portal-1', 10_000, 'first');
    await store.budgets.pause('portal-1', 5_000, 'shorter');
    expect(await store.budgets.pausedFor('portal-1')).toEqual({ remainingMs: 10_000, reason: 'first' });
    await store.budgets.pause('portal-1', 3_600_000, '429 DAILY');
    expect(await store.budgets.pausedFor('portal-1')).toEqual({
      remainingMs: 3_600_000,
      reason: '429 DAILY',
    });
  });

  it('keeps a pause whose reason is whatever text a server sent, NUL bytes included', async () => {
    const store = await h.open();
    await store.budgets.pause('portal-1', 10_000, HOSTILE_TEXT);
    const paused = await store.budgets.pausedFor('portal-1');
    expect(paused?.remainingMs).toBe(10_000);
    expect(asKept(paused?.reason ?? '')).toBe(asKept(HOSTILE_TEXT));
  });

  it('refuses a pause it cannot keep, naming the argument', async () => {
    const store = await h.open();
    for (const [run, field] of [
      [() => store.budgets.pause('', 1_000, 'x'), /key/],
      [() => store.budgets.pause('a', 2 ** 31, 'x'), /delayMs/],
      [() => store.budgets.pause('a', Number.NaN, 'x'), /delayMs/],
      [() => store.budgets.pause('a', 1_000, undefined as never), /reason/],
      [() => store.budgets.pausedFor(undefined as never), /key/],
    ] as const) {
      const error = await failureOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
  });
}
