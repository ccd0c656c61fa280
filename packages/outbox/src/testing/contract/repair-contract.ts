import { createTemplateCatalog, isHublineError } from '@hubline/core';
import { expect, it } from 'vitest';
import {
  type ContractHarness,
  type ContractStore,
  failureOf,
  input,
  typesOf,
  withAccounts,
} from './harness.js';

/** Dead-letters each id, as HubSpot refusing it would. */
async function kill(
  store: ContractStore,
  ids: readonly string[],
  category = 'VALIDATION_ERROR',
): Promise<void> {
  for (const id of ids) {
    const entry = await store.get(id);
    const [claimed] = await store.claim({ limit: 1, leaseMs: 1_000, owner: 'k', account: entry!.account });
    expect(claimed?.id).toBe(id);
    await store.settle('k', [{ id, type: 'dead', category, message: 'refused', status: 400 }]);
  }
}

/**
 * Dead-letter repair: requeue with an amendment that keeps the original in the history, bulk requeue per account
 * and category, dead letters that age out, and dropping an account.
 *
 * @param h - the suite's harness
 */
export function repairContract(h: ContractHarness): void {
  it('amends a dead letter before requeueing it: Amended keeps the original, then Requeued', async () => {
    const store = await h.open();
    const id = await store.record(input(1, { account: '12345' }));
    await kill(store, [id]);
    const before = (await store.get(id))!;
    h.clock.advance(1_000);
    const amend = { tokens: { page: '/fixed' }, email: null, objectId: 512 };
    expect(await store.requeue([id], { amend, by: 'ana@example.com' })).toBe(1);
    const after = (await store.get(id))!;
    expect(after).toMatchObject({ status: 'pending', attempts: 0, account: '12345' });
    expect(after.event).toEqual({
      eventTemplateId: before.event.eventTemplateId,
      id,
      tokens: { page: '/fixed' },
      objectId: '512',
      timestamp: before.event.timestamp,
    });
    expect(after.bytes).toBe(Buffer.byteLength(JSON.stringify(after.event)));
    const history = await store.history(id);
    expect(history.slice(-2).map((record) => record.event)).toEqual([
      {
        type: 'Amended',
        at: h.clock.now(),
        by: 'ana@example.com',
        previous: before.event,
        bytes: after.bytes,
      },
      { type: 'Requeued', at: h.clock.now(), by: 'ana@example.com' },
    ]);
    const [claimed] = await store.claim({ limit: 1, leaseMs: 1_000, owner: 'a', account: '12345' });
    expect(JSON.parse(claimed!.json)).toEqual(after.event);
  });

  it('refuses an amendment record would refuse, templates included, naming amend.<field>, and changes nothing', async () => {
    const templates = createTemplateCatalog([
      {
        id: '1001234',
        name: 'visit',
        objectType: 'contacts',
        tokens: [
          { name: 'page', type: 'string' },
          { name: 'seconds', type: 'number' },
        ],
      },
    ]);
    const store = await h.open({ templates });
    const [id, other] = await store.recordMany([input(1), input(2)]);
    await kill(store, [id!, other!]);
    const refused = async (run: () => unknown, path: RegExp) => {
      const error = await failureOf(run);
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(path);
    };
    await refused(
      () => store.requeue([id!], { amend: { tokens: { colour: 'red' } } }),
      /amend\.tokens\.colour/,
    );
    await refused(() => store.requeue([id!], { amend: { email: 'nope' } }), /amend\.email/);
    await refused(() => store.requeue([id!], { amend: { id: 'x' } as never }), /amend\.id/);
    await refused(() => store.requeue([id!], { amend: { account: 'b' } as never }), /amend\.account/);
    await refused(() => store.requeue([id!, other!], { amend: { email: 'a@example.com' } }), /amend/);
    await refused(() => store.requeue('all-dead', { amend: { email: 'a@example.com' } }), /amend/);
    await refused(() => store.requeue([id!], { by: '' }), /by/);
    await refused(() => store.requeue({ account: 'a b' }), /account/);
    expect(await store.stats()).toMatchObject({ dead: 2, pending: 0 });
    expect(await typesOf(store, id!)).not.toContain('Amended');
  });

  it('requeues and lists dead letters by account and by category', async () => {
    const store = await h.open();
    const ids = await store.recordMany([
      input(1, { account: 'a' }),
      input(2, { account: 'a' }),
      input(3, { account: 'b' }),
      input(4, { account: 'b' }),
    ]);
    await kill(store, [ids[0]!, ids[2]!], 'VALIDATION_ERROR');
    await kill(store, [ids[1]!, ids[3]!], 'MAX_ATTEMPTS');
    const listed = async (options: object) => (await store.listDead(options)).map((entry) => entry.id);
    expect(await listed({ account: 'a' })).toEqual([ids[0], ids[1]]);
    expect(await listed({ category: 'MAX_ATTEMPTS' })).toEqual([ids[1], ids[3]]);
    expect(await listed({ account: 'b', category: 'VALIDATION_ERROR' })).toEqual([ids[2]]);
    expect(await listed({ account: 'b', afterId: ids[2]! })).toEqual([ids[3]]);
    expect(await store.requeue({ account: 'b', category: 'MAX_ATTEMPTS' })).toBe(1);
    expect((await store.get(ids[3]!))?.status).toBe('pending');
    expect(await store.requeue({ category: 'VALIDATION_ERROR' })).toBe(2);
    expect(await store.requeue({ account: 'a' })).toBe(1);
    expect(await store.requeue({})).toBe(0);
    expect(await store.stats()).toMatchObject({ dead: 0, pending: 4 });
  });

  it('ages dead letters out with deadOlderThanMs, and keeps them without it', async () => {
    const store = await h.open();
    const [old, young] = await store.recordMany([input(1), input(2)]);
    await kill(store, [old!]);
    h.clock.advance(60_000);
    await kill(store, [young!]);
    h.clock.advance(1_000);
    expect(await store.prune({ olderThanMs: 0 })).toBe(0);
    expect(await store.prune({ olderThanMs: 0, deadOlderThanMs: 30_000 })).toBe(1);
    expect(await store.get(old!)).toBeUndefined();
    expect((await store.get(young!))?.status).toBe('dead');
    expect(await store.stats()).toMatchObject({ dead: 1 });
    const error = await failureOf(() => store.prune({ deadOlderThanMs: -1 }));
    expect((error as Error).message).toMatch(/deadOlderThanMs/);
  });

  it("discards an account's pending entries and dead letters as Evicted with the reason, and returns how many", async () => {
    const store = withAccounts(await h.open());
    const ids = await store.recordMany([
      input(1, { account: 'gone' }),
      input(2, { account: 'gone' }),
      input(3, { account: 'gone' }),
      input(4, { account: 'stays' }),
    ]);
    await kill(store, [ids[0]!]);
    const [inFlight] = await store.claim({ limit: 1, leaseMs: 60_000, owner: 'a', account: 'gone' });
    expect(await store.discard({ account: 'gone', reason: 'app uninstalled' })).toBe(2);
    expect((await store.history(ids[0]!)).at(-1)?.event).toMatchObject({
      type: 'Evicted',
      reason: 'app uninstalled',
    });
    expect((await store.get(inFlight!.id))?.status).toBe('leased');
    expect(await store.stats('gone')).toMatchObject({ pending: 0, dead: 0, evicted: 2, inFlight: 1 });
    expect(await store.stats('stays')).toMatchObject({ pending: 1, evicted: 0 });
    expect(await store.discard({ account: 'nobody' })).toBe(0);
    expect((await store.accountsDue()).map((due) => due.account)).toEqual(['stays', 'gone']);
    const error = await failureOf(() => store.discard({} as never));
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/account/);
  });
}
