import { isHublineError, MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, typesOf } from './harness.js';

/**
 * Dead letters: the attempt policy, listing and requeueing.
 *
 * @param h - the suite's harness
 */
export function deadLetterContract(h: ContractHarness): void {
  const fail = (id: string, outcomeUnknown: boolean) =>
    ({
      id,
      type: 'failed',
      reason: outcomeUnknown ? 'HTTP 503' : 'CANCELED',
      countsAsAttempt: true,
      outcomeUnknown,
      delayMs: 0,
      maxAttempts: 2,
    }) as const;

  it('dead-letters a known refusal that uses the last attempt, saying how many attempts there were', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    expect((await store.settle('a', [fail(id, false)])).deadLettered).toEqual([]);
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    expect((await store.settle('a', [fail(id, false)])).deadLettered).toEqual([id]);
    expect(await store.get(id)).toMatchObject({
      status: 'dead',
      attempts: 2,
      lastError: `${MAX_ATTEMPTS_CATEGORY}: gave up after 2 attempts; last error: CANCELED`,
    });
    expect(await typesOf(store, id)).toEqual([
      'Recorded',
      'Claimed',
      'Failed',
      'Claimed',
      'Failed',
      'DeadLettered',
    ]);
  });

  it('never dead-letters an unknown outcome: past maxAttempts the entry stays pending, in doubt', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [claimed] = await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
      expect(claimed?.attempts).toBe(attempt - 1);
      expect((await store.settle('a', [fail(id, true)])).deadLettered).toEqual([]);
    }
    expect(await store.get(id)).toMatchObject({ status: 'pending', attempts: 3, inDoubt: true });
    // The engine verified (a read-back found nothing) and gives it up with the entry's real count.
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    const settled = await store.settle('a', [
      {
        id,
        type: 'dead',
        category: MAX_ATTEMPTS_CATEGORY,
        message: 'gave up after 3 attempts; read back: absent',
      },
    ]);
    expect(settled.deadLettered).toEqual([id]);
    expect(await store.get(id)).toMatchObject({ status: 'dead', attempts: 3 });
  });

  it('lists dead letters oldest first, a page at a time, and requeues them with a fresh attempt budget', async () => {
    const store = await h.open();
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      ids.push(await store.record(input(n)));
      h.clock.advance(10);
    }
    await store.claim({ limit: 3, leaseMs: 1_000, owner: 'a' });
    const dead = (id: string) =>
      ({ id, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad token', status: 400 }) as const;
    expect((await store.settle('a', [dead(ids[2]!), dead(ids[0]!)])).deadLettered).toEqual([ids[2], ids[0]]);
    expect((await store.listDead()).map((entry) => entry.id)).toEqual([ids[0], ids[2]]);
    expect((await store.listDead({ afterId: ids[0]!, limit: 5 })).map((entry) => entry.id)).toEqual([ids[2]]);
    expect((await store.listDead({ limit: 1 })).map((entry) => entry.id)).toEqual([ids[0]]);
    expect((await store.listDead())[0]?.lastError).toMatch(/bad token/);
    const changes: number[] = [];
    const subscription = store.changes$.subscribe((count) => changes.push(count));
    expect(await store.requeue([ids[0]!, ids[1]!, 'unknown'])).toBe(1); // ids[1] is leased, not dead
    expect(await store.requeue('all-dead')).toBe(1);
    expect(await store.requeue('all-dead')).toBe(0);
    subscription.unsubscribe();
    expect(changes).toEqual([1, 1]);
    expect(await store.get(ids[0]!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await store.history(ids[2]!)).at(-1)?.event.type).toBe('Requeued');
    expect(await store.stats()).toMatchObject({ dead: 0, pending: 2, inFlight: 1 });
  });

  it('refuses unusable arguments to listDead, requeue, get and history, naming them', async () => {
    const store = await h.open();
    const refused = async (run: () => unknown, field: RegExp) => {
      const error = await failureOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    };
    await refused(() => store.listDead({ limit: Number.NaN }), /limit/);
    await refused(() => store.listDead({ limit: -1 }), /limit/);
    await refused(() => store.listDead({ afterId: 5 as never }), /afterId/);
    await refused(() => store.requeue('abc' as never), /ids: must be an array of ids or "all-dead"/);
    await refused(() => store.requeue([7] as never), /\[0\]/);
    await refused(() => store.history({} as never), /id: must be a non-empty string/);
    await refused(() => store.get(42 as never), /id: must be a non-empty string/);
  });
}
