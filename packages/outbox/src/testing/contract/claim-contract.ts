import { isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, typesOf } from './harness.js';

/**
 * Claiming: order, limits, leases and their expiry.
 *
 * @param h - the suite's harness
 */
export function claimContract(h: ContractHarness): void {
  it('leases the oldest due entries, each handed out ready to send', async () => {
    const store = await h.open();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push(await store.record(input(n)));
      h.clock.advance(10);
    }
    const batch = await store.claim({ limit: 3, leaseMs: 30_000, owner: 'a' });
    expect(batch.map((entry) => entry.id)).toEqual(ids.slice(0, 3));
    const [first] = batch;
    expect(first).toMatchObject({ attempts: 0, leaseUntil: h.clock.now() + 30_000, inDoubt: false });
    expect(first!.event).toEqual((await store.get(ids[0]!))?.event);
    expect(first!.json).toBe(JSON.stringify(first!.event));
    expect(first!.bytes).toBe(new TextEncoder().encode(first!.json).length);
    expect(await store.get(ids[0]!)).toMatchObject({ status: 'leased', leaseOwner: 'a' });
    const rest = await store.claim({ limit: 10, leaseMs: 30_000, owner: 'b' });
    expect(rest.map((entry) => entry.id)).toEqual(ids.slice(3));
    expect(await store.claim({ limit: 10, leaseMs: 30_000, owner: 'c' })).toEqual([]);
    expect(await store.stats()).toMatchObject({ pending: 0, inFlight: 5 });
  });

  it('stops at maxBytes but always hands out one due entry', async () => {
    const store = await h.open();
    await store.recordMany([input(1), input(2), input(3), input(4)]);
    const [one, ...none] = await store.claim({ limit: 10, maxBytes: 1, leaseMs: 1_000, owner: 'a' });
    expect(none).toEqual([]);
    const two = await store.claim({ limit: 10, maxBytes: one!.bytes * 2 + 1, leaseMs: 1_000, owner: 'a' });
    expect(two).toHaveLength(2);
  });

  it('takes over a lease that ran out, recording LeaseExpired for the old owner, not a moment before', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'crashed' });
    h.clock.advance(999);
    expect(await store.claim({ limit: 1, leaseMs: 1_000, owner: 'b' })).toEqual([]);
    expect(await store.nextDueIn()).toBe(1);
    h.clock.advance(1);
    expect((await store.claim({ limit: 1, leaseMs: 1_000, owner: 'b' })).map((entry) => entry.id)).toEqual([
      id,
    ]);
    expect(await typesOf(store, id)).toEqual(['Recorded', 'Claimed', 'LeaseExpired', 'Claimed']);
    expect((await store.history(id))[2]?.event).toMatchObject({ owner: 'crashed' });
  });

  it('keeps a failed entry back for its delay, then hands it out with its attempts', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    await store.settle('a', [
      { id, type: 'failed', reason: 'HTTP 503', status: 503, countsAsAttempt: true, delayMs: 60_000 },
    ]);
    expect(await store.get(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: h.clock.now() + 60_000,
      lastError: 'HTTP 503',
    });
    expect(await store.nextDueIn()).toBe(60_000);
    h.clock.advance(59_999);
    expect(await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' })).toEqual([]);
    h.clock.advance(1);
    expect((await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' }))[0]?.attempts).toBe(1);
  });

  it('refuses unusable claim options naming the option, even when nothing is due', async () => {
    const store = await h.open();
    const refused = async (options: unknown, field: string) => {
      const error = await failureOf(() => store.claim(options as never));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toContain(field);
    };
    await refused({ limit: 0, leaseMs: 1_000, owner: 'a' }, 'limit');
    await refused({ limit: Number.NaN, leaseMs: 1_000, owner: 'a' }, 'limit');
    await refused({ limit: 1, leaseMs: 0, owner: 'a' }, 'leaseMs');
    await refused({ limit: 1, leaseMs: Number.POSITIVE_INFINITY, owner: 'a' }, 'leaseMs');
    await refused({ limit: 1, leaseMs: 2 ** 31, owner: 'a' }, 'leaseMs');
    await refused({ limit: 1, leaseMs: 1_000, owner: '' }, 'owner');
    await refused(
      { limit: 1, leaseMs: 1_000, owner: 'engine\u0000a' },
      'owner: must not contain control characters',
    );
    await refused({ limit: 1, leaseMs: 1_000, owner: 'engine\nINFO forged' }, 'owner');
    const settle = await failureOf(() =>
      store.settle('engine\u0000a', [{ id: 'x', type: 'delivered', alreadyExisted: false }]),
    );
    expect(isHublineError(settle, 'VALIDATION_FAILED'), String(settle)).toBe(true);
    await refused({ limit: 1, maxBytes: -1, leaseMs: 1_000, owner: 'a' }, 'maxBytes');
  });
}
