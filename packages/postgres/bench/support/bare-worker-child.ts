/**
 * The bare pipeline of the drain benchmark, in a process of its own: claim a batch in one statement
 * (`FOR UPDATE SKIP LOCKED`, lease set), send it with one `fetch`, mark it done in one statement; one request in
 * flight. No validation, no history, no counters, no answer interpretation beyond "201". Argument: JSON
 * `{ url, schema, baseUrl, batchSize, accessToken }` (a queue made by `fillBareQueue`). Prints `ready`, starts on
 * `go` (stdin), prints `done {"delivered": n}` when a claim comes back empty, and exits.
 */
import pg from 'pg';

const PATH = '/integrators/timeline/v3/events/batch/create';
const { url, schema, baseUrl, batchSize, accessToken } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  schema: string;
  baseUrl: string;
  batchSize: number;
  accessToken: string;
};
const s = `"${schema}"`;
const client = new pg.Client(url);
await client.connect();
const CLAIM = `WITH c AS (SELECT seq FROM ${s}.q WHERE status = 0 AND lease_until <= $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
  UPDATE ${s}.q AS q SET lease_until = $1 + 60000 FROM c WHERE q.seq = c.seq RETURNING q.seq, q.body`;
const DONE = `UPDATE ${s}.q SET status = 1 WHERE seq = ANY($1::bigint[])`;

async function drain(): Promise<number> {
  let delivered = 0;
  for (;;) {
    const { rows } = await client.query<{ seq: string; body: string }>({
      name: 'claim',
      text: CLAIM,
      values: [Date.now(), batchSize],
    });
    if (rows.length === 0) return delivered;
    const response = await fetch(`${baseUrl}${PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: `{"inputs":[${rows.map((row) => row.body).join(',')}]}`,
    });
    await response.text();
    if (response.status !== 201) throw new Error(`bare pipeline got HTTP ${response.status}`);
    await client.query({ name: 'done', text: DONE, values: [rows.map((row) => row.seq)] });
    delivered += rows.length;
  }
}

process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
process.stdin.once('data', () => {
  void drain().then(async (delivered) => {
    await client.end();
    process.stdout.write(`done ${JSON.stringify({ delivered })}\n`);
    process.exit(0);
  });
});
