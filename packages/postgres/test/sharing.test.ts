import { isHublineError } from '@hubline/core';
import type { Settlement } from '@hubline/core/store';
import pg from 'pg';
import { firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const event = (n: number) => ({
  eventTemplateId: '1001234',
  email: `visitor-${n}@example.com`,
  tokens: { n },
});

/** The first `count` values `changes$` emits, or a rejection after 10 s. */
function nextChanges(changes$: Observable<number>, count: number): Promise<number[]> {
  return Promise.race([
    firstValueFrom(changes$.pipe(take(count), toArray())),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no wake-up within 10 s')), 10_000)),
  ]);
}

/** Several stores on one schema, as engines on several machines share an outbox. */
describe('stores sharing one schema', () => {
  const schemas = new TestSchemas('sharing');
  let opened: PostgresOutbox[] = [];
  const openAll = async (count: number, clock?: () => number, schema = schemas.fresh()) => {
    const stores = await Promise.all(
      Array.from({ length: count }, () =>
        openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 2, ...(clock ? { clock } : {}) }),
      ),
    );
    opened.push(...stores);
    return stores;
  };
  afterEach(async () => {
    for (const store of opened) await store.close();
    opened = [];
  });
  afterAll(() => schemas.dropAll());

  it("wake each other's engines through LISTEN/NOTIFY: records, requeues and releases, each once", async () => {
    const [a, b] = await openAll(2);
    const heardByB = nextChanges(b!.changes$, 4);
    const heardByA = nextChanges(a!.changes$, 2);
    const [first, second] = await b!.recordMany([event(1), event(2)]); // B hears its own at once, A through the channel
    const [id] = await a!.recordMany([event(3)]); // and the other way round
    expect(await a!.claim({ limit: 3, leaseMs: 60_000, owner: 'a' })).toHaveLength(3);
    await a!.settle('a', [
      { id: first!, type: 'delivered', alreadyExisted: false },
      { id: second!, type: 'delivered', alreadyExisted: false },
      { id: id!, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad' },
    ]);
    expect(await a!.requeue('all-dead')).toBe(1);
    expect(await a!.claim({ limit: 3, leaseMs: 60_000, owner: 'a' })).toHaveLength(1);
    await a!.release('a', [{ id: id!, reason: 'stopping', detail: 'engine stopping' }]);
    // B: its own record (2), A's record (1), A's requeue (1), A's release (1 due now) — nothing twice.
    expect(await heardByB).toEqual([2, 1, 1, 1]);
    // A's own record and B's notification race; either may come first.
    expect((await heardByA).sort()).toEqual([1, 2]);
  });

  it("share the app's pool one after another: a store opened after another closed claims on its connections", async () => {
    const pool = new pg.Pool({ connectionString: pgUrl(), max: 1 });
    const schema = schemas.fresh();
    try {
      const first = await openPostgresOutbox({ pool, schema });
      await first.recordMany([event(1), event(2)]);
      expect(await first.claim({ limit: 1, leaseMs: 60_000, owner: 'first' })).toHaveLength(1);
      await first.close();
      // The one connection still holds what the first store prepared on it.
      const second = await openPostgresOutbox({ pool, schema });
      const third = await openPostgresOutbox({ pool, schema });
      try {
        expect(await second.claim({ limit: 1, leaseMs: 60_000, owner: 'second' })).toHaveLength(1);
        // The other entry, or the first store's, whose session is gone: either way a claim, not an error.
        expect(await third.claim({ limit: 1, leaseMs: 60_000, owner: 'third' })).toHaveLength(1);
      } finally {
        await second.close();
        await third.close();
      }
    } finally {
      await pool.end();
    }
  });

  it('wake each other once for a burst of single records, with every record counted', async () => {
    const [a, b] = await openAll(2);
    const heard: number[] = [];
    const subscription = b!.changes$.subscribe((count) => heard.push(count));
    try {
      for (let n = 0; n < 20; n++) await a!.record(event(n));
      // The first record notified with its commit, the rest together a moment later.
      const deadline = Date.now() + 10_000;
      while (heard.reduce((sum, count) => sum + count, 0) < 20 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(heard.reduce((sum, count) => sum + count, 0)).toBe(20);
      expect(heard.length).toBeLessThan(20);
      expect(heard[0]).toBe(1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('wake each other on a schema whose name is as long as PostgreSQL allows', async () => {
    const schema = schemas.fresh(63);
    expect(schema).toHaveLength(63);
    const [a, b] = await openAll(2, undefined, schema);
    const heard = nextChanges(b!.changes$, 1);
    await a!.record(event(1));
    expect(await heard).toEqual([1]);
  });

  it('keep the counts exact while several claim and settle at once', async () => {
    const stores = await openAll(3);
    await stores[0]!.recordMany(Array.from({ length: 240 }, (_, n) => event(n)));
    const seen: string[] = [];
    await Promise.all(
      stores.map(async (store, index) => {
        const owner = `engine-${index}`;
        for (;;) {
          const batch = await store.claim({ limit: 7, leaseMs: 60_000, owner });
          if (batch.length === 0) return;
          seen.push(...batch.map((entry) => entry.id));
          const settlements: Settlement[] = batch.map((entry, n) =>
            n % 5 === 0
              ? { id: entry.id, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad token' }
              : { id: entry.id, type: 'delivered', alreadyExisted: false },
          );
          const settled = await store.settle(owner, settlements);
          expect(settled.lost).toEqual([]);
        }
      }),
    );
    expect(new Set(seen).size).toBe(240);
    const stats = await stores[1]!.stats();
    expect(stats).toMatchObject({ pending: 0, inFlight: 0, backlogBytes: 0, oldestPendingAgeMs: 0 });
    expect(stats.delivered + stats.dead).toBe(240);
    expect(stats.dead).toBe((await stores[2]!.listDead({ limit: 1000 })).length);
  });

  it('lose the settle of a lease changed through another store since it was granted, writing nothing of it', async () => {
    const [a, b] = await openAll(2);
    const id = await a!.record(event(1));
    expect(await a!.claim({ limit: 1, leaseMs: 60_000, owner: 'a' })).toHaveLength(1);
    // Another store under the same owner name gives the lease back while A, which granted it, still holds it.
    expect((await b!.release('a', [{ id, reason: 'stopping', detail: 'engine stopping' }])).applied).toEqual([
      id,
    ]);
    const settled = await a!.settle('a', [{ id, type: 'delivered', alreadyExisted: false }]);
    expect(settled).toEqual({ applied: [], lost: [id], deadLettered: [] });
    expect(await a!.get(id)).toMatchObject({ status: 'pending', leaseOwner: null });
    expect((await a!.history(id)).map((record) => record.event.type)).toEqual([
      'Recorded',
      'Claimed',
      'Released',
    ]);
    expect(await b!.stats()).toMatchObject({ pending: 1, inFlight: 0, delivered: 0 });
    expect(await a!.claim({ limit: 1, leaseMs: 60_000, owner: 'a' })).toHaveLength(1);
    expect(await a!.settle('a', [{ id, type: 'delivered', alreadyExisted: false }])).toMatchObject({
      applied: [id],
      lost: [],
    });
    expect(await b!.stats()).toMatchObject({ pending: 0, inFlight: 0, delivered: 1 });
  });

  it("judge a record that waited on another's uncommitted record of the same id by its content", async () => {
    const [a, b] = await openAll(2);
    const pool = new pg.Pool({ connectionString: pgUrl(), max: 2 });
    try {
      for (const [content, expected] of [
        [{ page: '/same' }, 'visit-same'],
        [{ page: '/other' }, 'ID_CONFLICT'],
      ] as const) {
        const id = expected === 'ID_CONFLICT' ? 'visit-other' : 'visit-same';
        const client = await pool.connect();
        await client.query('BEGIN');
        await a!.record(client, { ...event(1), id, tokens: { page: '/same' } });
        // B's insert waits for A's transaction; its statement began before A committed.
        const racing = b!.record({ ...event(1), id, tokens: content }).then(
          (recorded) => recorded,
          (error: unknown) => (isHublineError(error, 'ID_CONFLICT') ? 'ID_CONFLICT' : error),
        );
        while ((await pool.query('SELECT 1 FROM pg_locks WHERE NOT granted')).rowCount === 0);
        await client.query('COMMIT');
        client.release();
        expect(await racing).toBe(expected);
        expect((await b!.get(id))?.event.tokens).toEqual({ page: '/same' });
      }
    } finally {
      await pool.end();
    }
  });

  it('prune delivered and evicted entries past the retention, with their history, and keep dead letters', async () => {
    let now = Date.UTC(2026, 10, 29, 12);
    const [store] = await openAll(1, () => now);
    const [old, dead, fresh] = await store!.recordMany([event(1), event(2), event(3)]);
    await store!.claim({ limit: 3, leaseMs: 60_000, owner: 'a' });
    await store!.settle('a', [
      { id: old!, type: 'delivered', alreadyExisted: false },
      { id: dead!, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad' },
    ]);
    now += 3 * 24 * 3_600_000;
    await store!.settle('a', [{ id: fresh!, type: 'delivered', alreadyExisted: false }]);
    now += 5 * 24 * 3_600_000;
    expect(await store!.prune()).toBe(1); // older than the default 7 days: only `old`
    expect(await store!.get(old!)).toBeUndefined();
    expect(await store!.history(old!)).toEqual([]);
    expect(await store!.stats()).toMatchObject({ delivered: 1, dead: 1 });
    expect(await store!.prune({ olderThanMs: 0 })).toBe(1);
    expect(await store!.stats()).toMatchObject({ delivered: 0, dead: 1, pending: 0 });
    expect((await store!.get(dead!))?.status).toBe('dead');
    // A pruned id is forgotten: recording it again makes a new entry.
    await store!.record({ ...event(1), id: old! });
    expect((await store!.get(old!))?.status).toBe('pending');
  });
});
