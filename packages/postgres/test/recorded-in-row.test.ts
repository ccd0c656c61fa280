import { encodeEventData } from '@hubline/core/store';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const event = (n: number) => ({
  eventTemplateId: '1001234',
  email: `visitor-${n}@example.com`,
  tokens: { n },
});

/** An entry keeps its `Recorded` event in its own row: recording writes one row per event, not two. */
describe('the Recorded event in the entry row', () => {
  const schemas = new TestSchemas('recorded');
  const now = Date.UTC(2026, 11, 7, 23);
  let client: pg.Client;
  let store: PostgresOutbox;
  let schema: string;

  beforeAll(async () => {
    client = new pg.Client(pgUrl());
    await client.connect();
  });
  afterEach(() => store.close());
  afterAll(async () => {
    await client.end();
    await schemas.dropAll();
  });

  const open = async () => {
    schema = schemas.fresh();
    store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 2, clock: () => now });
  };
  const lifecycleRows = async (id: string) =>
    (
      await client.query<{ seq: number; type: string }>(
        `SELECT l.seq, l.type FROM "${schema}".lifecycle AS l JOIN "${schema}".entries AS e USING (rk)
         WHERE e.id = $1 ORDER BY l.seq`,
        [id],
      )
    ).rows;

  it('records without a lifecycle row, and history reads the Recorded event back first', async () => {
    await open();
    const [one] = await store.recordMany([event(1)]);
    const [two, three] = await store.recordMany([event(2), event(3)]);
    for (const id of [one!, two!, three!]) expect(await lifecycleRows(id)).toEqual([]);
    const bytes = (await store.get(two!))!.bytes;
    expect(await store.history(two!)).toEqual([{ seq: 1, event: { type: 'Recorded', at: now, bytes } }]);

    const claimed = await store.claim({ limit: 1, leaseMs: 60_000, owner: 'engine' });
    await store.settle('engine', [{ id: claimed[0]!.id, type: 'delivered', alreadyExisted: false }]);
    const history = await store.history(one!);
    expect(history.map((record) => [record.seq, record.event.type])).toEqual([
      [1, 'Recorded'],
      [2, 'Claimed'],
      [3, 'Delivered'],
    ]);
    expect(await lifecycleRows(one!)).toEqual([
      { seq: 2, type: 'Claimed' },
      { seq: 3, type: 'Delivered' },
    ]);
  });

  it('reads the history of an entry recorded before migration 0003 from its lifecycle row', async () => {
    await open();
    const [id] = await store.recordMany([event(4)]);
    const expected = await store.history(id!);
    // The layout before 0003: no bytes in the row, the Recorded event in lifecycle.
    const { rows } = await client.query<{ rk: string; bytes: number }>(
      `UPDATE "${schema}".entries SET recorded_bytes = NULL WHERE id = $1 RETURNING rk, bytes`,
      [id],
    );
    await client.query(
      `INSERT INTO "${schema}".lifecycle (rk, seq, type, at, data) VALUES ($1, 1, 'Recorded', $2, $3)`,
      [rows[0]!.rk, now, encodeEventData({ type: 'Recorded', at: now, bytes: rows[0]!.bytes })],
    );
    expect(await store.history(id!)).toEqual(expected);
    expect(await store.history('no-such-id')).toEqual([]);
  });
});
