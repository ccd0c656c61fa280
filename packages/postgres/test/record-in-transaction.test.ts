import { isHublineError, type TimelineEventInput } from '@hubline/core';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const schemas = new TestSchemas('apptx');
/** The app's own schema, with its `orders` table: the write that the event goes with. */
const appSchema = schemas.fresh();
const orders = pgSchema(appSchema).table('orders', {
  id: text('id').primaryKey(),
  total: integer('total').notNull(),
});

const order = (id: string, total = 42): TimelineEventInput => ({
  id: `order-${id}`,
  eventTemplateId: '1001234',
  email: 'buyer@example.com',
  tokens: { total },
});

/** The first `count` values `changes$` emits, or a rejection after 10 s. */
function nextChanges(changes$: Observable<number>, count: number): Promise<number[]> {
  return Promise.race([
    firstValueFrom(changes$.pipe(take(count), toArray())),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no wake-up within 10 s')), 10_000)),
  ]);
}

describe('recording inside the app transaction', () => {
  let pool: pg.Pool;
  let outbox: PostgresOutbox;
  /** Another store on the same schema: an engine on another machine. */
  let engine: PostgresOutbox;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: pgUrl(), max: 4 });
    await pool.query(`CREATE SCHEMA "${appSchema}"`);
    await pool.query(`CREATE TABLE "${appSchema}".orders (id text PRIMARY KEY, total integer NOT NULL)`);
  });
  beforeEach(async () => {
    const schema = schemas.fresh();
    outbox = await openPostgresOutbox({ pool, schema });
    engine = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 2 });
  });
  afterEach(async () => {
    await engine.close();
    await outbox.close();
  });
  afterAll(async () => {
    await pool.end();
    await schemas.dropAll();
  });

  const ordersNamed = async (id: string) =>
    (await pool.query(`SELECT id FROM "${appSchema}".orders WHERE id = $1`, [id])).rowCount;

  /** Runs `body` between the app's BEGIN and COMMIT (or ROLLBACK when `rollback`) on one pooled client. */
  async function inAppTransaction(
    body: (client: pg.PoolClient) => Promise<void>,
    rollback = false,
  ): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await body(client);
      await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    } finally {
      client.release();
    }
  }

  it("commits the event with the app's own write, on the app's pg client, and wakes the engines then", async () => {
    const woken = nextChanges(engine.changes$, 1);
    const ownWake = nextChanges(outbox.changes$, 1);
    let id = '';
    await inAppTransaction(async (client) => {
      await client.query(`INSERT INTO "${appSchema}".orders (id, total) VALUES ($1, $2)`, ['1', 42]);
      id = await outbox.record(client, order('1'));
      // Not committed yet: nobody else sees it.
      expect(await engine.get(id)).toBeUndefined();
      expect(await engine.nextDueIn()).toBeNull();
    });
    expect(await ordersNamed('1')).toBe(1);
    expect(await engine.get(id)).toMatchObject({
      status: 'pending',
      event: { id: 'order-1', tokens: { total: '42' } },
    });
    expect(await woken).toEqual([1]);
    expect(await ownWake).toEqual([1]);
    const [claimed] = await engine.claim({ limit: 10, leaseMs: 30_000, owner: 'engine' });
    expect(claimed?.id).toBe('order-1');
  });

  it('rolls the event back with the app write, and wakes nobody for it', async () => {
    const woken = nextChanges(engine.changes$, 1);
    await inAppTransaction(async (client) => {
      await client.query(`INSERT INTO "${appSchema}".orders (id, total) VALUES ($1, $2)`, ['2', 7]);
      await outbox.recordMany(client, [order('2a'), order('2b')]);
    }, true);
    expect(await ordersNamed('2')).toBe(0);
    expect(await engine.get('order-2a')).toBeUndefined();
    expect(await engine.stats()).toMatchObject({ pending: 0 });
    // The next commit's wake-up is the first: the rolled-back one never came (notifications arrive in order).
    await inAppTransaction(async (client) => {
      await outbox.recordMany(client, [order('3a'), order('3b'), order('3c')]);
    });
    expect(await woken).toEqual([3]);
    expect(await engine.stats()).toMatchObject({ pending: 3 });
  });

  it('commits and rolls back with a drizzle transaction', async () => {
    const db = drizzle({ client: pool });
    await db.transaction(async (tx) => {
      await tx.insert(orders).values({ id: '4', total: 10 });
      await outbox.record(tx, order('4', 10));
    });
    const failure = await db
      .transaction(async (tx) => {
        await tx.insert(orders).values({ id: '5', total: 11 });
        await outbox.recordMany(tx, [order('5', 11)]);
        throw new Error('the app changed its mind');
      })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toBe('the app changed its mind');
    expect(await ordersNamed('4')).toBe(1);
    expect(await ordersNamed('5')).toBe(0);
    expect((await engine.get('order-4'))?.status).toBe('pending');
    expect(await engine.get('order-5')).toBeUndefined();
    expect((await engine.history('order-4')).map((record) => record.event.type)).toEqual(['Recorded']);
  });

  it("undoes a refused batch but keeps the app's writes, so the app may still commit them", async () => {
    await outbox.record(order('6', 1));
    await inAppTransaction(async (client) => {
      await client.query(`INSERT INTO "${appSchema}".orders (id, total) VALUES ($1, $2)`, ['7', 2]);
      const conflict = await outbox.recordMany(client, [order('7'), order('6', 999)]).catch((error) => error);
      expect(isHublineError(conflict, 'ID_CONFLICT')).toBe(true);
      // The transaction is still usable: the app decides to commit its order anyway.
      await client.query(`INSERT INTO "${appSchema}".orders (id, total) VALUES ($1, $2)`, ['8', 3]);
    });
    expect(await ordersNamed('7')).toBe(1);
    expect(await ordersNamed('8')).toBe(1);
    expect(await engine.get('order-7')).toBeUndefined();
    expect(await engine.stats()).toMatchObject({ pending: 1 });
  });

  it('refuses what is not a transaction to record in, naming tx', async () => {
    const db = drizzle({ client: pool });
    const client = await pool.connect();
    try {
      for (const [tx, words] of [
        [pool, /pg Pool/],
        [db, /not a transaction/],
        [{}, /pg client/],
        [undefined, /pg client/],
      ] as const) {
        const error = await outbox.record(tx as never, order('9')).catch((caught) => caught);
        expect(isHublineError(error, 'VALIDATION_FAILED'), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/tx/);
        expect((error as Error).message).toMatch(words);
      }
      // A batch needs a transaction to be all or nothing: outside one, PostgreSQL refuses its savepoint.
      const outside = await outbox.recordMany(client, [order('10'), order('11')]).catch((caught) => caught);
      expect(isHublineError(outside, 'VALIDATION_FAILED'), String(outside)).toBe(true);
      expect((outside as Error).message).toMatch(/tx: is not inside a transaction/);
    } finally {
      client.release();
    }
    expect(await engine.stats()).toMatchObject({ pending: 0 });
  });
});
