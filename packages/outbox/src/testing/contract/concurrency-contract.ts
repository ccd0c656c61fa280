import type { Settlement } from '@hubline/core/store';
import { expect, it } from 'vitest';
import { type ContractHarness, input } from './harness.js';

/**
 * Several claimers on one store: each entry is leased to one of them at a time, exactly once.
 *
 * @param h - the suite's harness
 */
export function concurrencyContract(h: ContractHarness): void {
  it('never lets two claimers hold the same entry: each entry is claimed exactly once', async () => {
    const store = await h.open();
    const other = await h.connect(store);
    const ids = await store.recordMany(Array.from({ length: 60 }, (_, n) => input(n)));
    const seen: string[] = [];
    const delivered = (entries: readonly { id: string }[]): Settlement[] =>
      entries.map((entry) => ({ id: entry.id, type: 'delivered', alreadyExisted: false }));
    for (;;) {
      // Both claim before either settles: what one holds, the other must not get.
      const [fromA, fromB] = await Promise.all([
        store.claim({ limit: 7, leaseMs: 60_000, owner: 'a' }),
        other.claim({ limit: 5, leaseMs: 60_000, owner: 'b' }),
      ]);
      if (fromA.length + fromB.length === 0) break;
      seen.push(...fromA.map((entry) => entry.id), ...fromB.map((entry) => entry.id));
      expect((await other.settle('b', delivered(fromA))).lost).toHaveLength(fromA.length);
      expect((await store.settle('a', delivered(fromA))).applied).toHaveLength(fromA.length);
      expect((await other.settle('b', delivered(fromB))).applied).toHaveLength(fromB.length);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(await other.stats()).toMatchObject({ delivered: 60, pending: 0, inFlight: 0 });
  });
}
