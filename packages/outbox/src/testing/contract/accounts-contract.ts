import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, withAccounts } from './harness.js';

/**
 * Accounts: every entry belongs to one, claims never mix them, and each account's due time and counts can be read
 * on their own.
 *
 * @param h - the suite's harness
 */
export function accountsContract(h: ContractHarness): void {
  it("keeps each entry's account beside its event, 'default' when none is named", async () => {
    const store = await h.open();
    const [plain, other] = await store.recordMany([input(1), input(2, { account: '12345' })]);
    expect(await store.get(plain!)).toMatchObject({ account: 'default' });
    const stored = await store.get(other!);
    expect(stored?.account).toBe('12345');
    expect(stored?.event).not.toHaveProperty('account');
    const [claimed] = await store.claim({ limit: 5, leaseMs: 1_000, owner: 'a', account: '12345' });
    expect(claimed).toMatchObject({ id: other, account: '12345' });
    expect(JSON.parse(claimed!.json)).not.toHaveProperty('account');
  });

  it('claims one account at a time: a batch never mixes accounts, and the default is the default account', async () => {
    const store = await h.open();
    const ids = await store.recordMany([
      input(1, { account: 'a' }),
      input(2, { account: 'b' }),
      input(3, { account: 'a' }),
      input(4),
    ]);
    const claim = async (account?: string) =>
      (
        await store.claim({
          limit: 10,
          leaseMs: 1_000,
          owner: 'x',
          ...(account === undefined ? {} : { account }),
        })
      ).map((entry) => entry.id);
    expect(await claim('a')).toEqual([ids[0], ids[2]]);
    expect(await claim()).toEqual([ids[3]]);
    expect(await claim('b')).toEqual([ids[1]]);
    expect(await claim('c')).toEqual([]);
  });

  it('refuses the same id under another account as a conflict, and writes nothing', async () => {
    const store = await h.open();
    await store.record(input(1, { id: 'shared', account: 'a' }));
    expect(await store.record(input(1, { id: 'shared', account: 'a' }))).toBe('shared');
    const error = await failureOf(() =>
      store.recordMany([input(2), input(1, { id: 'shared', account: 'b' })]),
    );
    expect(isHublineError(error, 'ID_CONFLICT')).toBe(true);
    expect(await store.stats()).toMatchObject({ pending: 1 });
  });

  it('answers nextDueIn, stats and accountsDue per account, earliest due first', async () => {
    const store = withAccounts(await h.open());
    expect(await store.accountsDue()).toEqual([]);
    const [early] = await store.recordMany([input(1, { account: 'early' })]);
    h.clock.advance(1_000);
    const [late] = await store.recordMany([input(2, { account: 'late' }), input(3, { account: 'late' })]);
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'x', account: 'early' });
    await store.settle('x', [
      { id: early!, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 5_000 },
    ]);
    await store.claim({ limit: 1, leaseMs: 60_000, owner: 'x', account: 'late' });
    expect(await store.nextDueIn('early')).toBe(5_000);
    expect(await store.nextDueIn('late')).toBe(0);
    expect(await store.nextDueIn('nobody')).toBeNull();
    expect(await store.nextDueIn()).toBe(0);
    expect(await store.accountsDue()).toEqual([
      { account: 'late', dueIn: 0 },
      { account: 'early', dueIn: 5_000 },
    ]);
    expect(await store.stats('late')).toMatchObject({ pending: 1, inFlight: 1, oldestPendingAgeMs: 0 });
    expect(await store.stats('early')).toMatchObject({ pending: 1, inFlight: 0, oldestPendingAgeMs: 1_000 });
    expect(await store.stats('nobody')).toMatchObject({ pending: 0, inFlight: 0, backlogBytes: 0 });
    expect(await store.stats()).toMatchObject({ pending: 2, inFlight: 1 });
    const [second] = await store.claim({ limit: 5, leaseMs: 1_000, owner: 'y', account: 'late' });
    expect(second?.id).not.toBe(late);
    await store.settle('y', [{ id: second!.id, type: 'delivered', alreadyExisted: false }]);
    // What is left of `late` is the first lease, running for another minute.
    expect(await store.accountsDue()).toEqual([
      { account: 'early', dueIn: 5_000 },
      { account: 'late', dueIn: 60_000 },
    ]);
  });

  it('refuses an account that is not usable wherever one is named, naming the field', async () => {
    const store = await h.open();
    for (const run of [
      () => store.record(input(1, { account: 'portal 1' })),
      () => store.claim({ limit: 1, leaseMs: 1_000, owner: 'a', account: '' }),
      () => store.nextDueIn('x'.repeat(65)),
      () => store.stats(42 as never),
      () => store.listDead({ account: 'a/b' }),
    ]) {
      const error = await failureOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/account/);
    }
  });
}
