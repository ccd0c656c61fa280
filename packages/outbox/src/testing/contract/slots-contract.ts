import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, withAccounts } from './harness.js';

const WINDOW = { requests: 2, windowMs: 10_000 };

/**
 * Budget slots: a sliding window per key kept in the store, so that every handle on it shares each account's
 * budget.
 *
 * @param h - the suite's harness
 */
export function slotsContract(h: ContractHarness): void {
  it('gives slots until the window is full, then how long to wait; a used slot counts from its use', async () => {
    const { budgets } = withAccounts(await h.open());
    const first = await budgets.take('portal-1', WINDOW);
    expect(first).toEqual({ slot: expect.any(String) });
    h.clock.advance(1_000);
    const second = await budgets.take('portal-1', WINDOW);
    expect(second).toEqual({ slot: expect.any(String) });
    expect(second).not.toEqual(first);
    expect(await budgets.take('portal-2', WINDOW)).toEqual({ slot: expect.any(String) });
    await budgets.use('portal-1', (first as { slot: string }).slot);
    h.clock.advance(2_000);
    await budgets.use('portal-1', (second as { slot: string }).slot);
    // Used at +1 s and +3 s: the first leaves the window 10 s after its use.
    expect(await budgets.take('portal-1', WINDOW)).toEqual({ waitMs: 8_000 });
    h.clock.advance(8_000);
    expect(await budgets.take('portal-1', WINDOW)).toEqual({ slot: expect.any(String) });
    expect(await budgets.take('portal-1', WINDOW)).toEqual({ waitMs: 2_000 });
  });

  it('frees a slot given back at once', async () => {
    const { budgets } = withAccounts(await h.open());
    const one = { requests: 1, windowMs: 10_000 };
    const taken = await budgets.take('portal-1', one);
    expect(await budgets.take('portal-1', one)).toHaveProperty('waitMs');
    await budgets.giveBack('portal-1', (taken as { slot: string }).slot);
    expect(await budgets.take('portal-1', one)).toEqual({ slot: expect.any(String) });
  });

  it('shares the window between two handles on one store', async () => {
    const store = withAccounts(await h.open());
    const other = withAccounts(await h.connect(store));
    const a = await store.budgets.take('portal-1', WINDOW);
    const b = await other.budgets.take('portal-1', WINDOW);
    await store.budgets.use('portal-1', (a as { slot: string }).slot);
    await other.budgets.use('portal-1', (b as { slot: string }).slot);
    expect(await store.budgets.take('portal-1', WINDOW)).toEqual({ waitMs: 10_000 });
    expect(await other.budgets.take('portal-1', WINDOW)).toEqual({ waitMs: 10_000 });
  });

  it('takes back a slot held five windows without use, as its holder is gone', async () => {
    const { budgets } = withAccounts(await h.open());
    const one = { requests: 1, windowMs: 1_000 };
    await budgets.take('portal-1', one);
    h.clock.advance(4_999);
    expect(await budgets.take('portal-1', one)).toEqual({ waitMs: 1 });
    h.clock.advance(1);
    expect(await budgets.take('portal-1', one)).toEqual({ slot: expect.any(String) });
  });

  it('refuses a window or slot it cannot keep, naming the argument', async () => {
    const { budgets } = withAccounts(await h.open());
    for (const [run, field] of [
      [() => budgets.take('', WINDOW), /key/],
      [() => budgets.take('a', { requests: 0, windowMs: 1_000 }), /requests/],
      [() => budgets.take('a', { requests: 1, windowMs: Number.NaN }), /windowMs/],
      [() => budgets.use('a', ''), /slot/],
      [() => budgets.giveBack('a', 7 as never), /slot/],
    ] as const) {
      const error = await failureOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
  });
}
