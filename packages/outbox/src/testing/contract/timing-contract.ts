import { expect, it } from 'vitest';
import { type ContractHarness, input } from './harness.js';

/**
 * What the engine times itself by: `nextDueIn` and the counts of `stats`.
 *
 * @param h - the suite's harness
 */
export function timingContract(h: ContractHarness): void {
  it('answers nextDueIn: null when nothing waits, 0 when due, else the time to the next retry or lease end', async () => {
    const store = await h.open();
    expect(await store.nextDueIn()).toBeNull();
    const id = await store.record(input(1));
    h.clock.advance(10);
    expect(await store.nextDueIn()).toBe(0);
    await store.claim({ limit: 1, leaseMs: 5_000, owner: 'a' });
    expect(await store.nextDueIn()).toBe(5_000);
    await store.settle('a', [
      { id, type: 'failed', reason: 'HTTP 500', countsAsAttempt: true, delayMs: 750 },
    ]);
    expect(await store.nextDueIn()).toBe(750);
    expect(await store.claim({ limit: 1, leaseMs: 5_000, owner: 'a' })).toEqual([]);
    h.clock.advance(750);
    expect(await store.claim({ limit: 1, leaseMs: 5_000, owner: 'a' })).toHaveLength(1);
    await store.settle('a', [{ id, type: 'delivered', alreadyExisted: false }]);
    expect(await store.nextDueIn()).toBeNull();
  });

  it('keeps stats exact: counts, the oldest pending age and the backlog bytes', async () => {
    const store = await h.open();
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      ids.push(await store.record(input(n)));
      h.clock.advance(10);
    }
    h.clock.advance(1_000);
    const [first, second] = await store.claim({ limit: 2, leaseMs: 1_000, owner: 'a' });
    await store.settle('a', [{ id: first!.id, type: 'delivered', alreadyExisted: false }]);
    let bytes = 0;
    for (const id of ids.slice(1)) bytes += (await store.get(id))!.bytes;
    expect(await store.stats()).toEqual({
      pending: 2,
      inFlight: 1,
      delivered: 1,
      dead: 0,
      evicted: 0,
      oldestPendingAgeMs: h.clock.now() - second!.recordedAt,
      backlogBytes: bytes,
    });
  });
}
