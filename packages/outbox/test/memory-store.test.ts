import { isHublineError } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/testing/index.js';
import { errorOf, manualClock } from './support.js';

/* What the memory store offers beyond the contract (which `store-contract.test.ts` runs against it). */
describe('createMemoryStore', () => {
  it('seeds events with ids e000, e001, … numbering on, each of the size asked for', () => {
    const clock = manualClock();
    const store = createMemoryStore({ clock: clock.now });
    expect(store.seed(2)).toEqual(['e000', 'e001']);
    expect(store.seed(3, 300)).toEqual(['e002', 'e003', 'e004']);
    expect(store.get('e003')?.bytes).toBe(300);
    const [claimed] = store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    expect(new TextEncoder().encode(claimed!.json).length).toBe(claimed!.bytes);
    expect(store.stats()).toMatchObject({
      pending: 4,
      inFlight: 1,
      backlogBytes: 2 * store.get('e000')!.bytes + 900,
    });
    expect(
      isHublineError(
        errorOf(() => store.seed(1, 10)),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
  });

  it('keeps every settle and release call, as passed', () => {
    const clock = manualClock();
    const store = createMemoryStore({ clock: clock.now });
    const [a, b] = store.seed(2);
    store.claim({ limit: 2, leaseMs: 1_000, owner: 'engine' });
    const settlements = [{ id: a!, type: 'delivered', alreadyExisted: false }] as const;
    store.settle('engine', settlements);
    store.release('engine', [{ id: b!, reason: 'stopping', detail: 'stop()' }]);
    expect(store.settleCalls).toEqual([{ owner: 'engine', settlements }]);
    expect(store.settleCalls[0]?.settlements).toBe(settlements);
    expect(store.releaseCalls).toEqual([
      { owner: 'engine', releases: [{ id: b, reason: 'stopping', detail: 'stop()' }] },
    ]);
  });

  it('refuses options it cannot honour, naming them', () => {
    for (const [options, field] of [
      [{ clock: 'now' }, /clock/],
      [{ logger: { warn() {} } }, /logger/],
      [{ maxEntries: 0 }, /maxEntries/],
      [{ capacityPolicy: 'drop' }, /capacityPolicy/],
    ] as const) {
      const error = errorOf(() => createMemoryStore(options as never));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
  });

  it('closes like the outbox: safe twice, streams completed, later calls refused, disposable', () => {
    const store = createMemoryStore();
    let completed = 0;
    store.changes$.subscribe({ complete: () => completed++ });
    {
      using disposed = store;
      disposed.seed(1);
    }
    store.close();
    expect(completed).toBe(1);
    expect(
      isHublineError(
        errorOf(() => store.stats()),
        'OUTBOX_CLOSED',
      ),
    ).toBe(true);
  });
});
