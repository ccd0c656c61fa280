import { isHublineError } from '@hubline/core';
import { fold } from '@hubline/core/store';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input, typesOf } from './harness.js';

/**
 * Recording: ids, idempotency, conflicts, all-or-nothing batches, the change signal.
 *
 * @param h - the suite's harness
 */
export function recordContract(h: ContractHarness): void {
  it('records an event pending, due at once, with its Recorded event, and says so on changes$', async () => {
    const store = await h.open();
    const changes: number[] = [];
    const subscription = store.changes$.subscribe((count) => changes.push(count));
    const id = await store.record(input(1));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const entry = await store.get(id);
    expect(entry).toMatchObject({
      id,
      status: 'pending',
      attempts: 0,
      recordedAt: h.clock.now(),
      nextAttemptAt: h.clock.now(),
      inDoubt: false,
      event: { id, eventTemplateId: '1001234', email: 'visitor-1@example.com' },
    });
    expect(await store.history(id)).toEqual([
      { seq: 1, event: { type: 'Recorded', at: h.clock.now(), bytes: entry?.bytes } },
    ]);
    await store.recordMany([input(2), input(3)]);
    subscription.unsubscribe();
    await store.record(input(4));
    expect(changes).toEqual([1, 2]);
    expect(await store.nextDueIn()).toBe(0);
  });

  it("keeps the app's id; the same id with the same content is a no-op, with other content ID_CONFLICT", async () => {
    const store = await h.open();
    expect(await store.record(input(1, { id: 'visit-1' }))).toBe('visit-1');
    h.clock.advance(1_000);
    // The stamped timestamp differs, but the app gave none: the same content.
    expect(await store.record(input(1, { id: 'visit-1' }))).toBe('visit-1');
    const conflict = await failureOf(() => store.record(input(2, { id: 'visit-1' })));
    expect(isHublineError(conflict, 'ID_CONFLICT')).toBe(true);
    expect(await typesOf(store, 'visit-1')).toEqual(['Recorded']);
    expect(await store.stats()).toMatchObject({ pending: 1 });
  });

  it('records a batch all or nothing: one bad event, conflict or hole anywhere writes nothing', async () => {
    const store = await h.open();
    await store.record(input(0, { id: 'taken' }));
    const invalid = await failureOf(() =>
      store.recordMany([input(1, { id: 'a' }), { eventTemplateId: '' } as never]),
    );
    expect(isHublineError(invalid, 'VALIDATION_FAILED')).toBe(true);
    expect((invalid as Error).message).toMatch(/\[1\]\.eventTemplateId/);
    const conflict = await failureOf(() =>
      store.recordMany([input(2, { id: 'b' }), input(3, { id: 'taken' })]),
    );
    expect(isHublineError(conflict, 'ID_CONFLICT')).toBe(true);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const sparse = [input(4, { id: 'c' }), , input(5, { id: 'd' })] as never;
    const hole = await failureOf(() => store.recordMany(sparse));
    expect(isHublineError(hole, 'VALIDATION_FAILED')).toBe(true);
    expect((hole as Error).message).toMatch(/\[1\]: is missing/);
    for (const id of ['a', 'b', 'c', 'd']) expect(await store.get(id)).toBeUndefined();
    expect(await store.stats()).toMatchObject({ pending: 1 });
  });

  it('keeps each projection equal to the fold of its history', async () => {
    const store = await h.open();
    const [first, second] = await store.recordMany([input(1), input(2)]);
    const claimed = await store.claim({ limit: 2, leaseMs: 1_000, owner: 'a' });
    await store.settle('a', [
      { id: first!, type: 'failed', reason: 'HTTP 503', status: 503, countsAsAttempt: true, delayMs: 500 },
      { id: second!, type: 'delivered', alreadyExisted: false, evidence: 'result' },
    ]);
    expect(claimed).toHaveLength(2);
    for (const id of [first!, second!]) {
      const { id: _id, event: _event, account: _account, ...projection } = (await store.get(id))!;
      expect(projection).toEqual(fold((await store.history(id)).map((record) => record.event)));
    }
    expect((await store.history(second!)).at(-1)?.event).toMatchObject({
      type: 'Delivered',
      evidence: 'result',
    });
  });
}
