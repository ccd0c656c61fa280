/**
 * The bare pipeline of the drain benchmark, in its own process: a claim transaction, one fetch, a done
 * transaction, one request in flight. No validation, no history, no leases to settle, no streams.
 * Argument: JSON `{ path, url, batchSize, accessToken }` (a queue made by `fillBareQueue`). Prints
 * `{"ms","delivered"}` on one line.
 */
import { openBareQueue } from './bare-queue.js';

const PATH = '/integrators/timeline/v3/events/batch/create';
const { path, url, batchSize, accessToken } = JSON.parse(process.argv[2] ?? '{}') as {
  path: string;
  url: string;
  batchSize: number;
  accessToken: string;
};
const db = openBareQueue(path);
const select = db.prepare(
  'SELECT seq, body FROM q WHERE status = 0 AND lease_until <= ? ORDER BY seq LIMIT ?',
);
const lease = db.prepare('UPDATE q SET lease_until = ? WHERE seq = ?');
const done = db.prepare('UPDATE q SET status = 1 WHERE seq = ?');
const claim = db.transaction((now: number) => {
  const rows = select.all(now, batchSize) as { seq: number; body: string }[];
  for (const row of rows) lease.run(now + 60_000, row.seq);
  return rows;
});
const settle = db.transaction((rows: { seq: number }[]) => {
  for (const row of rows) done.run(row.seq);
});
let delivered = 0;
const started = performance.now();
for (;;) {
  const rows = claim(Date.now());
  if (rows.length === 0) break;
  const response = await fetch(`${url}${PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: `{"inputs":[${rows.map((row) => row.body).join(',')}]}`,
  });
  await response.text();
  if (response.status !== 201) throw new Error(`bare pipeline got HTTP ${response.status}`);
  settle(rows);
  delivered += rows.length;
}
const ms = performance.now() - started;
db.close();
process.stdout.write(`${JSON.stringify({ ms, delivered })}\n`);
process.exit(0);
