import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, typesOf } from './harness.js';

/**
 * The size cap: reject or evict the oldest pending, never what is in flight or being recorded.
 *
 * @param h - the suite's harness
 */
export function capacityContract(h: ContractHarness): void {
  it('rejects a record beyond maxEntries with CAPACITY_EXCEEDED and writes nothing; delivered entries do not count', async () => {
    const store = await h.open({ maxEntries: 2 });
    const [first] = await store.recordMany([input(1), input(2)]);
    const error = await failureOf(() => store.recordMany([input(3), input(4, { id: 'not-written' })]));
    expect(isHublineError(error, 'CAPACITY_EXCEEDED')).toBe(true);
    expect(error).toMatchObject({ limit: 'maxEntries', max: 2 });
    expect(await store.get('not-written')).toBeUndefined();
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    await store.settle('a', [{ id: first!, type: 'delivered', alreadyExisted: false }]);
    await store.record(input(3));
    expect(await store.stats()).toMatchObject({ pending: 2, delivered: 1 });
  });

  it('rejects a record beyond maxBytes', async () => {
    const store = await h.open({ maxBytes: 400 });
    await store.record(input(1));
    const error = await failureOf(() => store.record(input(2, { tokens: { text: 'x'.repeat(400) } })));
    expect(error).toMatchObject({ code: 'CAPACITY_EXCEEDED', limit: 'maxBytes', max: 400 });
  });

  it('evicts the oldest pending entries under evict-oldest, never one in flight', async () => {
    const store = await h.open({ maxEntries: 3, capacityPolicy: 'evict-oldest' });
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) {
      h.clock.advance(1);
      ids.push(await store.record(input(n)));
    }
    await store.claim({ limit: 1, leaseMs: 60_000, owner: 'a' }); // ids[0] is in flight
    h.clock.advance(1);
    const newer = await store.recordMany([input(4), input(5)]);
    expect((await store.get(ids[0]!))?.status).toBe('leased');
    expect((await store.get(ids[1]!))?.status).toBe('evicted');
    expect((await store.get(ids[2]!))?.status).toBe('evicted');
    expect(await typesOf(store, ids[1]!)).toEqual(['Recorded', 'Evicted']);
    expect((await store.history(ids[1]!))[1]?.event).toMatchObject({ reason: 'maxEntries 3 reached' });
    for (const id of newer) expect((await store.get(id))?.status).toBe('pending');
    expect(await store.stats()).toMatchObject({ pending: 2, inFlight: 1, evicted: 2 });
    // Nothing older is left to evict: the next record is refused.
    const error = await failureOf(() => store.recordMany([input(6), input(7), input(8)]));
    expect(isHublineError(error, 'CAPACITY_EXCEEDED')).toBe(true);
  });
}
