import { isHublineError } from '@hubline/core';
import type { Settlement } from '@hubline/core/store';
import { expect, it } from 'vitest';
import { asKept, type ContractHarness, failureOf, HOSTILE_TEXT, input, typesOf } from './harness.js';

const delivered = (id: string): Settlement => ({ id, type: 'delivered', alreadyExisted: false });

/**
 * Settling: lost leases are refused and never applied twice; each outcome becomes its lifecycle event.
 *
 * @param h - the suite's harness
 */
export function settleContract(h: ContractHarness): void {
  it('refuses a settlement whose lease was taken over, and never applies one twice', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'slow' });
    h.clock.advance(2_000);
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'fast' });
    expect(await store.settle('slow', [delivered(id)])).toEqual({
      applied: [],
      lost: [id],
      deadLettered: [],
    });
    expect(await store.get(id)).toMatchObject({ status: 'leased', leaseOwner: 'fast' });
    expect((await store.settle('fast', [delivered(id)])).applied).toEqual([id]);
    expect((await store.settle('fast', [delivered(id)])).lost).toEqual([id]);
    expect((await store.settle('fast', [delivered('never-recorded')])).lost).toEqual(['never-recorded']);
    expect(await typesOf(store, id)).toEqual(['Recorded', 'Claimed', 'LeaseExpired', 'Claimed', 'Delivered']);
    expect(await store.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 1, backlogBytes: 0 });
  });

  it('refuses a failure or a dead letter from an owner that lost the lease, leaving the entry as it was', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'slow' });
    h.clock.advance(1_000);
    await store.claim({ limit: 1, leaseMs: 60_000, owner: 'fast' });
    const before = await store.get(id);
    const result = await store.settle('slow', [
      { id, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 0, maxAttempts: 1 },
      { id, type: 'dead', category: 'VALIDATION_ERROR', message: 'late' },
    ]);
    expect(result).toEqual({ applied: [], lost: [id, id], deadLettered: [] });
    expect(await store.get(id)).toEqual(before);
  });

  it('keeps whatever text a server sent in a failure or a dead letter, NUL bytes and lone surrogates included', async () => {
    const store = await h.open();
    const [failing, refused] = await store.recordMany([input(1), input(2)]);
    await store.claim({ limit: 2, leaseMs: 60_000, owner: 'a' });
    const result = await store.settle('a', [
      { id: failing!, type: 'failed', reason: HOSTILE_TEXT, status: 503, countsAsAttempt: true, delayMs: 0 },
      { id: refused!, type: 'dead', category: 'VALIDATION_ERROR', message: HOSTILE_TEXT },
    ]);
    expect(result.applied).toEqual([failing, refused]);
    expect(asKept((await store.get(failing!))?.lastError ?? '')).toBe(asKept(HOSTILE_TEXT));
    expect(asKept((await store.get(refused!))?.lastError ?? '')).toContain(asKept(HOSTILE_TEXT));
    expect(await typesOf(store, refused!)).toEqual(['Recorded', 'Claimed', 'DeadLettered']);
  });

  it('settles a lease that ran out but was not taken over', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    h.clock.advance(5_000);
    expect((await store.settle('a', [{ id, type: 'delivered', alreadyExisted: true }])).applied).toEqual([
      id,
    ]);
  });

  it('applies a mixed batch entry by entry: the held leases apply, the lost ones are listed', async () => {
    const store = await h.open();
    const [a, b, c] = await store.recordMany([input(1), input(2), input(3)]);
    await store.claim({ limit: 3, leaseMs: 1_000, owner: 'one' });
    const result = await store.settle('one', [
      delivered(a!),
      { id: b!, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad token', status: 400 },
      delivered('unknown'),
      { id: c!, type: 'failed', reason: 'offline', countsAsAttempt: false, delayMs: 100 },
      delivered(a!),
    ]);
    expect(result).toEqual({ applied: [a, b, c], lost: ['unknown', a], deadLettered: [b] });
    expect(await store.get(b!)).toMatchObject({ status: 'dead', lastError: 'VALIDATION_ERROR: bad token' });
    expect(await store.get(c!)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'offline' });
    expect(await store.stats()).toMatchObject({ pending: 1, inFlight: 0, delivered: 1, dead: 1 });
  });

  it('keeps in doubt an entry whose outcome was unknown, until a later answer settles it', async () => {
    const store = await h.open();
    const id = await store.record(input(1));
    await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    await store.settle('a', [
      {
        id,
        type: 'failed',
        reason: 'HTTP 502',
        status: 502,
        countsAsAttempt: true,
        outcomeUnknown: true,
        delayMs: 0,
      },
    ]);
    expect(await store.get(id)).toMatchObject({ status: 'pending', inDoubt: true, attempts: 1 });
    const [again] = await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a' });
    expect(again?.inDoubt).toBe(true);
    await store.settle('a', [{ id, type: 'delivered', alreadyExisted: true, evidence: 'already-exists' }]);
    expect(await store.get(id)).toMatchObject({ status: 'delivered', inDoubt: false });
    expect((await store.history(id))[2]?.event).toMatchObject({ type: 'Failed', outcomeUnknown: true });
  });

  it('refuses a malformed settlement naming its index and field, before changing anything', async () => {
    const store = await h.open();
    const [first] = await store.recordMany([input(1)]);
    await store.claim({ limit: 1, leaseMs: 30_000, owner: 'a' });
    const refused = async (settlements: unknown, field: RegExp) => {
      const error = await failureOf(() => store.settle('a', settlements as Settlement[]));
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    };
    const failed = { id: first, type: 'failed', reason: 'busy', countsAsAttempt: true, delayMs: 0 };
    await refused([delivered(first!), { ...failed, delayMs: Number.NaN }], /\[1\]\.delayMs/);
    await refused([{ ...failed, delayMs: 2 ** 31 }], /\[0\]\.delayMs/);
    await refused([{ ...failed, delayMs: -1 }], /\[0\]\.delayMs/);
    await refused([{ ...failed, maxAttempts: 0 }], /\[0\]\.maxAttempts/);
    await refused([{ ...failed, outcomeUnknown: 'yes' }], /\[0\]\.outcomeUnknown/);
    await refused([{ ...delivered(first!), evidence: 'hunch' }], /\[0\]\.evidence/);
    await refused([{ id: first, type: 'bogus' }], /\[0\]\.type/);
    await refused('delivered', /settlements: must be an array/);
    expect(await store.get(first!)).toMatchObject({ status: 'leased', leaseOwner: 'a' });
    expect(await typesOf(store, first!)).toEqual(['Recorded', 'Claimed']);
  });
}
