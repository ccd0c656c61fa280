import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, typesOf } from './harness.js';

/**
 * Releasing: a lease given back unsent is no attempt, says why, and waits its delay.
 *
 * @param h - the suite's harness
 */
export function releaseContract(h: ContractHarness): void {
  it('gives leases back unsent: Released in the history, no attempt used, due again after the delay', async () => {
    const store = await h.open();
    const [a, b] = await store.recordMany([input(1), input(2)]);
    await store.claim({ limit: 2, leaseMs: 30_000, owner: 'engine' });
    const changes: number[] = [];
    const subscription = store.changes$.subscribe((count) => changes.push(count));
    const result = await store.release('engine', [
      { id: a!, reason: 'paused', detail: 'rate-limited: pausing 10 s', delayMs: 10_000 },
      { id: b!, reason: 'stopping', detail: 'engine stopping' },
    ]);
    subscription.unsubscribe();
    expect(result).toEqual({ applied: [a, b], lost: [], deadLettered: [] });
    // Only the release that is due at once makes something due.
    expect(changes).toEqual([1]);
    expect((await store.history(a!)).at(-1)?.event).toEqual({
      type: 'Released',
      at: h.clock.now(),
      owner: 'engine',
      reason: 'paused',
      detail: 'rate-limited: pausing 10 s',
      nextAttemptAt: h.clock.now() + 10_000,
    });
    expect(await store.get(a!)).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: h.clock.now() + 10_000,
    });
    expect(
      (await store.claim({ limit: 5, leaseMs: 60_000, owner: 'next' })).map((entry) => entry.id),
    ).toEqual([b]);
    h.clock.advance(10_000);
    expect(
      (await store.claim({ limit: 5, leaseMs: 60_000, owner: 'next' })).map((entry) => entry.id),
    ).toEqual([a]);
  });

  it('refuses a release from an owner that lost the lease', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'slow' });
    h.clock.advance(1_000);
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'fast' });
    expect(await store.release('slow', [{ id, reason: 'not-sent', detail: 'left out' }])).toEqual({
      applied: [],
      lost: [id],
      deadLettered: [],
    });
    expect(await typesOf(store, id)).toEqual(['Recorded', 'Claimed', 'LeaseExpired', 'Claimed']);
  });

  it('refuses a malformed release naming its index and field', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    for (const [release, field] of [
      [{ id, reason: 'bored', detail: 'x' }, /\[0\]\.reason/],
      [{ id, reason: 'paused', detail: 7 }, /\[0\]\.detail/],
      [{ id, reason: 'paused', detail: 'x', delayMs: Number.POSITIVE_INFINITY }, /\[0\]\.delayMs/],
      [{ reason: 'paused', detail: 'x' }, /\[0\]\.id/],
    ] as const) {
      const error = await failureOf(() => store.release('a', [release as never]));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
    expect(await store.get(id)).toMatchObject({ status: 'leased' });
  });
}
