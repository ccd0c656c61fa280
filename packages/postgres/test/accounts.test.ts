import { isHublineError } from '@hubline/core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const event = (n: number, account?: string) => ({
  ...(account === undefined ? {} : { account }),
  eventTemplateId: '1001234',
  email: `visitor-${n}@example.com`,
  tokens: { n },
});

/** Several HubSpot accounts in one schema, shared by several stores as engines on several machines share it. */
describe('accounts on PostgreSQL', () => {
  const schemas = new TestSchemas('accounts');
  let opened: PostgresOutbox[] = [];
  let now = Date.UTC(2026, 11, 7, 12);
  const clock = () => now;
  const openAll = async (count: number, schema = schemas.fresh()) => {
    const stores: PostgresOutbox[] = [];
    for (let n = 0; n < count; n++) {
      stores.push(await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 3, clock }));
    }
    opened.push(...stores);
    return stores;
  };
  afterEach(async () => {
    for (const store of opened) await store.close();
    opened = [];
  });
  afterAll(() => schemas.dropAll());

  it('records a batch spanning accounts, counting each account apart, and claims one account at a time', async () => {
    const [store] = await openAll(1);
    const ids = await store!.recordMany([
      event(1, 'portal-a'),
      event(2, 'portal-b'),
      event(3, 'portal-a'),
      event(4),
    ]);
    expect(await store!.stats('portal-a')).toMatchObject({ pending: 2 });
    expect(await store!.stats('portal-b')).toMatchObject({ pending: 1 });
    expect(await store!.stats('default')).toMatchObject({ pending: 1 });
    expect(await store!.stats()).toMatchObject({ pending: 4 });
    expect((await store!.get(ids[1]!))?.account).toBe('portal-b');

    const claimed = await store!.claim({ limit: 10, leaseMs: 60_000, owner: 'engine', account: 'portal-a' });
    expect(claimed.map((entry) => [entry.id, entry.account])).toEqual([
      [ids[0], 'portal-a'],
      [ids[2], 'portal-a'],
    ]);
    expect(await store!.claim({ limit: 10, leaseMs: 60_000, owner: 'engine' })).toMatchObject([
      { id: ids[3], account: 'default' },
    ]);
    expect(await store!.stats('portal-a')).toMatchObject({ pending: 0, inFlight: 2 });
    expect(await store!.stats()).toMatchObject({ pending: 1, inFlight: 3 });
  });

  it('refuses an id already recorded under another account, from any store, and writes nothing', async () => {
    const [a, b] = await openAll(2);
    await a!.record({ ...event(1, 'portal-a'), id: 'order-1' });
    const error = await b!
      .recordMany([event(2, 'portal-b'), { ...event(1, 'portal-b'), id: 'order-1' }])
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(isHublineError(error, 'ID_CONFLICT'), String(error)).toBe(true);
    expect(await b!.stats()).toMatchObject({ pending: 1 });
    expect((await b!.get('order-1'))?.account).toBe('portal-a');
  });

  it('lists the accounts with undelivered entries earliest first, leased ones by their lease', async () => {
    const [store] = await openAll(1);
    await store!.record(event(1, 'portal-late'));
    await store!.record(event(2, 'portal-leased'));
    const [failing] = await store!.claim({ limit: 1, leaseMs: 60_000, owner: 'e', account: 'portal-late' });
    await store!.settle('e', [
      { id: failing!.id, type: 'failed', reason: 'HTTP 503', countsAsAttempt: true, delayMs: 90_000 },
    ]);
    await store!.claim({ limit: 1, leaseMs: 30_000, owner: 'e', account: 'portal-leased' });
    await store!.record(event(3, 'portal-now'));
    expect(await store!.accountsDue()).toEqual([
      { account: 'portal-now', dueIn: 0 },
      { account: 'portal-leased', dueIn: 30_000 },
      { account: 'portal-late', dueIn: 90_000 },
    ]);
    expect(await store!.nextDueIn()).toBe(0);
    expect(await store!.nextDueIn('portal-late')).toBe(90_000);
    expect(await store!.nextDueIn('portal-none')).toBeNull();
  });

  it('calls an account due at once when a gone store holds its leases, and the next claim takes them over', async () => {
    const schema = schemas.fresh();
    const [survivor] = await openAll(1, schema);
    const doomed = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 2, clock });
    const [id] = await doomed.recordMany([event(1, 'portal-x')]);
    await doomed.claim({ limit: 1, leaseMs: 600_000, owner: 'doomed', account: 'portal-x' });
    expect(await survivor!.accountsDue()).toEqual([{ account: 'portal-x', dueIn: 600_000 }]);
    await doomed.close(); // its session ends: its owner's lock is free
    expect(await survivor!.accountsDue()).toEqual([{ account: 'portal-x', dueIn: 0 }]);
    // A claim for another account takes the gone owner's leases over in every account.
    expect(await survivor!.claim({ limit: 1, leaseMs: 60_000, owner: 'survivor' })).toEqual([]);
    const [taken] = await survivor!.claim({
      limit: 1,
      leaseMs: 60_000,
      owner: 'survivor',
      account: 'portal-x',
    });
    expect(taken?.id).toBe(id);
  });

  it('lists, requeues and discards dead letters by account and category', async () => {
    const [store] = await openAll(1);
    const ids = await store!.recordMany([
      event(1, 'portal-a'),
      event(2, 'portal-a'),
      event(3, 'portal-b'),
      event(4, 'portal-b'),
    ]);
    for (const account of ['portal-a', 'portal-b']) {
      const batch = await store!.claim({ limit: 2, leaseMs: 60_000, owner: 'e', account });
      await store!.settle(
        'e',
        batch.map((entry, n) => ({
          id: entry.id,
          type: 'dead' as const,
          category: n === 0 ? 'VALIDATION_ERROR' : 'MAX_ATTEMPTS',
          message: 'refused',
        })),
      );
    }
    const listed = async (options: object) => (await store!.listDead(options)).map((entry) => entry.id);
    expect(await listed({})).toEqual(ids);
    expect(await listed({ account: 'portal-b' })).toEqual([ids[2], ids[3]]);
    expect(await listed({ category: 'VALIDATION_ERROR' })).toEqual([ids[0], ids[2]]);
    expect(await listed({ account: 'portal-b', category: 'MAX_ATTEMPTS' })).toEqual([ids[3]]);
    expect(await listed({ limit: 2, afterId: ids[0] })).toEqual([ids[1], ids[2]]);

    expect(await store!.requeue({ category: 'VALIDATION_ERROR' }, { by: 'ops' })).toBe(2);
    expect(await store!.stats('portal-a')).toMatchObject({ pending: 1, dead: 1 });
    expect((await store!.history(ids[0]!)).at(-1)?.event).toMatchObject({ type: 'Requeued', by: 'ops' });

    // portal-b uninstalled the app: its pending entry and its dead letter go.
    expect(await store!.discard({ account: 'portal-b' })).toBe(2);
    expect(await store!.stats('portal-b')).toMatchObject({ pending: 0, dead: 0, evicted: 2 });
    expect(await store!.stats('portal-a')).toMatchObject({ pending: 1, dead: 1, evicted: 0 });
    expect((await store!.history(ids[3]!)).at(-1)?.event).toMatchObject({
      type: 'Evicted',
      reason: 'account discarded',
    });
  });

  it('amends a dead letter, keeping the original in its history, and counts its new size', async () => {
    const [store] = await openAll(1);
    const [id] = await store!.recordMany([event(1, 'portal-a')]);
    await store!.claim({ limit: 1, leaseMs: 60_000, owner: 'e', account: 'portal-a' });
    await store!.settle('e', [{ id: id!, type: 'dead', category: 'VALIDATION_ERROR', message: 'bad email' }]);
    const before = await store!.get(id!);

    const refused = await store!.requeue([id!], { amend: { email: 'not an email' } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isHublineError(refused, 'VALIDATION_FAILED'), String(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/amend\.email/);
    expect((await store!.get(id!))?.status).toBe('dead');

    const longer = 'a-much-longer-address-than-before@example.com';
    expect(await store!.requeue([id!], { amend: { email: longer }, by: 'ana' })).toBe(1);
    const after = await store!.get(id!);
    expect(after).toMatchObject({ status: 'pending', account: 'portal-a', event: { email: longer } });
    expect(after!.bytes).toBeGreaterThan(before!.bytes);
    expect(await store!.stats('portal-a')).toMatchObject({ pending: 1, backlogBytes: after!.bytes });
    const types = (await store!.history(id!)).map((record) => record.event);
    expect(types.slice(-2)).toMatchObject([
      { type: 'Amended', by: 'ana', previous: before!.event },
      { type: 'Requeued', by: 'ana' },
    ]);
    const [claimed] = await store!.claim({ limit: 1, leaseMs: 60_000, owner: 'e', account: 'portal-a' });
    expect(JSON.parse(claimed!.json)).toEqual(after!.event);
  });

  it('ages dead letters out of every account only when asked', async () => {
    const [store] = await openAll(1);
    const ids = await store!.recordMany([event(1, 'portal-a'), event(2, 'portal-b'), event(3, 'portal-b')]);
    for (const account of ['portal-a', 'portal-b']) {
      const batch = await store!.claim({ limit: 2, leaseMs: 60_000, owner: 'e', account });
      await store!.settle(
        'e',
        batch.map((entry) =>
          entry.id === ids[2]
            ? { id: entry.id, type: 'delivered' as const, alreadyExisted: false }
            : { id: entry.id, type: 'dead' as const, category: 'VALIDATION_ERROR', message: 'refused' },
        ),
      );
    }
    now += 10 * 24 * 3_600_000;
    expect(await store!.prune()).toBe(1);
    expect(await store!.stats()).toMatchObject({ dead: 2, delivered: 0 });
    expect(await store!.prune({ deadOlderThanMs: 11 * 24 * 3_600_000 })).toBe(0);
    expect(await store!.prune({ deadOlderThanMs: 9 * 24 * 3_600_000 })).toBe(2);
    expect(await store!.stats()).toMatchObject({ dead: 0, pending: 0 });
    expect(await store!.history(ids[0]!)).toEqual([]);
  });
});

/** The sliding-window budget kept in the database: every process on it shares each account's window. */
describe('budget slots on PostgreSQL', () => {
  const schemas = new TestSchemas('slots');
  let opened: PostgresOutbox[] = [];
  let now = Date.UTC(2026, 11, 7, 12);
  const clock = () => now;
  const openAll = async (count: number) => {
    const schema = schemas.fresh();
    for (let n = 0; n < count; n++) {
      opened.push(await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 4, clock }));
    }
    return opened;
  };
  afterEach(async () => {
    for (const store of opened) await store.close();
    opened = [];
  });
  afterAll(() => schemas.dropAll());

  it('grants exactly the limit to four stores taking at once, per account', async () => {
    const stores = await openAll(4);
    const window = { requests: 10, windowMs: 10_000 };
    const takes = await Promise.all(
      stores.flatMap((store) =>
        Array.from({ length: 8 }, (_, n) =>
          store.budgets.take(n % 2 === 0 ? 'portal-a' : 'portal-b', window),
        ),
      ),
    );
    const granted = takes.filter((take) => 'slot' in take);
    expect(granted).toHaveLength(20);
    expect(new Set(granted.map((take) => (take as { slot: string }).slot)).size).toBe(20);
    // Held slots count until they are used or given back: five windows at most.
    expect(takes.filter((take) => 'waitMs' in take)).toEqual(
      Array.from({ length: 12 }, () => ({ waitMs: 50_000 })),
    );
  });

  it('counts a used slot for one window from its use, and frees a given-back slot at once', async () => {
    const [a, b] = await openAll(2);
    const window = { requests: 2, windowMs: 10_000 };
    const first = await a!.budgets.take('portal-a', window);
    const second = await b!.budgets.take('portal-a', window);
    expect(await a!.budgets.take('portal-a', window)).toEqual({ waitMs: 50_000 });
    now += 1_000;
    await a!.budgets.use('portal-a', (first as { slot: string }).slot);
    await b!.budgets.giveBack('portal-a', (second as { slot: string }).slot);
    const third = await b!.budgets.take('portal-a', window);
    expect(third).toHaveProperty('slot');
    await b!.budgets.use('portal-a', (third as { slot: string }).slot);
    now += 4_000;
    expect(await a!.budgets.take('portal-a', window)).toEqual({ waitMs: 6_000 });
    now += 6_000;
    expect(await a!.budgets.take('portal-a', window)).toHaveProperty('slot');
    // A slot taken back or unknown still counts when its request leaves.
    await a!.budgets.use('portal-a', 'not-a-slot');
    expect(await b!.budgets.take('portal-a', window)).toEqual({ waitMs: 10_000 });
  });

  it('takes back a slot held five windows and moves slots back with a step of the clock', async () => {
    const [store] = await openAll(1);
    const window = { requests: 1, windowMs: 1_000 };
    expect(await store!.budgets.take('portal-a', window)).toHaveProperty('slot');
    now += 4_999;
    expect(await store!.budgets.take('portal-a', window)).toEqual({ waitMs: 1 });
    now += 1;
    const slot = await store!.budgets.take('portal-a', window);
    await store!.budgets.use('portal-a', (slot as { slot: string }).slot);
    now -= 3_600_000; // the clock steps back an hour: the slot counts about its one window, not an hour more
    const waiting = await store!.budgets.take('portal-a', window);
    // The stored high-water mark lags the clock by under a second, so the step is measured up to 1 s short.
    expect((waiting as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(1_000);
    expect((waiting as { waitMs: number }).waitMs).toBeLessThanOrEqual(2_000);
    now += 2_000;
    expect(await store!.budgets.take('portal-a', window)).toHaveProperty('slot');
  });

  it('refuses a window or slot it cannot use, naming the field', async () => {
    const [store] = await openAll(1);
    for (const [run, field] of [
      [() => store!.budgets.take('', { requests: 1, windowMs: 1 }), /key/],
      [() => store!.budgets.take('a', { requests: 0, windowMs: 1 }), /requests/],
      [() => store!.budgets.take('a', { requests: 1, windowMs: 2 ** 31 }), /windowMs/],
      [() => store!.budgets.use('a', ''), /slot/],
      [() => store!.budgets.giveBack('a', 7 as never), /slot/],
    ] as const) {
      const error = await run().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
  });
});

/** A schema written by the release before accounts, opened by this one. */
describe('the accounts migration', () => {
  const schemas = new TestSchemas('accounts_migration');
  afterAll(() => schemas.dropAll());

  it('keeps the entries in the default account and finds old dead letters by category', async () => {
    const schema = schemas.fresh();
    const client = new pg.Client(pgUrl());
    await client.connect();
    try {
      await applyFirstMigrations(client, schema, 2);
      await client.query(
        `INSERT INTO "${schema}".entries (rk, id, event, bytes, status, attempts, recorded_at, next_attempt_at,
           updated_at, version, last_error) OVERRIDING SYSTEM VALUE
         VALUES (1, 'old-dead', '{"id":"old-dead","eventTemplateId":"1","email":"a@example.com","tokens":{},"timestamp":"2026-01-01T00:00:00.000Z"}',
           120, 'dead', 1, 1, 1, 2, 2, 'VALIDATION_ERROR: bad')`,
      );
      await client.query(
        `INSERT INTO "${schema}".lifecycle (rk, seq, type, at, data) VALUES
           (1, 1, 'Recorded', 1, '{"bytes":120}'),
           (1, 2, 'DeadLettered', 2, '{"category":"VALIDATION_ERROR","message":"bad"}')`,
      );
      await client.query(`INSERT INTO "${schema}".counters (account, shard, dead) VALUES ('default', 0, 1)`);
    } finally {
      await client.end();
    }
    const store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 1 });
    try {
      expect(await store.listDead({ category: 'VALIDATION_ERROR' })).toMatchObject([
        { id: 'old-dead', account: 'default', status: 'dead' },
      ]);
      expect(await store.stats('default')).toMatchObject({ dead: 1 });
      expect(await store.requeue({ account: 'default', category: 'VALIDATION_ERROR' })).toBe(1);
      expect(await store.accountsDue()).toEqual([{ account: 'default', dueIn: 0 }]);
    } finally {
      await store.close();
    }
  });
});

/** Applies the first `count` committed migrations to a new schema, as that release's `migrate` did. */
async function applyFirstMigrations(client: pg.Client, schema: string, count: number): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const folder = new URL('../drizzle/', import.meta.url);
  const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path TO "${schema}"`);
  for (const entry of journal.entries.slice(0, count)) {
    for (const statement of readFileSync(new URL(`${entry.tag}.sql`, folder), 'utf8').split(
      '--> statement-breakpoint',
    )) {
      if (statement.trim().length > 0) await client.query(statement);
    }
  }
  await client.query('CREATE TABLE hubline_schema_version (version integer NOT NULL)');
  await client.query('INSERT INTO hubline_schema_version (version) VALUES ($1)', [count]);
  await client.query('RESET search_path');
}
