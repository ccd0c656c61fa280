import type pg from 'pg';

/**
 * The bare pipeline's queue: a table of request-ready JSON bodies, a status and a lease, with the one index its
 * claim walks. Nothing else: no lifecycle history, no counters, no validation.
 *
 * @param client - a connection
 * @param schema - a schema of the bench's own, created here
 * @param count - rows, each a valid "visit" event with an id of its own
 */
export async function fillBareQueue(client: pg.ClientBase, schema: string, count: number): Promise<void> {
  const s = `"${schema}"`;
  await client.query(`CREATE SCHEMA ${s}`);
  await client.query(
    `CREATE TABLE ${s}.q (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL,
       status smallint NOT NULL DEFAULT 0, lease_until bigint NOT NULL DEFAULT 0)`,
  );
  await client.query(`CREATE INDEX q_due ON ${s}.q (seq) WHERE status = 0`);
  await client.query(
    `INSERT INTO ${s}.q (body)
     SELECT json_build_object('eventTemplateId', '1001234', 'id', 'bare-' || g, 'email', 'visitor' || (g % 5000) || '@example.com',
       'tokens', json_build_object('page', '/pricing/' || (g % 97), 'seconds', (g % 300)::text),
       'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
     FROM generate_series(1, $1::int) AS g`,
    [count],
  );
  await client.query(`VACUUM ANALYZE ${s}.q`);
}
