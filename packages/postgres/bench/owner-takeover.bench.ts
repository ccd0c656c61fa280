/**
 * How soon the leases of a killed engine are free for the others: a child process claims entries with a
 * ten-minute lease and is SIGKILLed; the time from the kill to the first `nextDueIn()` of another store that
 * answers 0 (the owner's session lock is free), and to its claim holding every entry, is measured.
 *
 * Run: `pnpm bench owner-takeover` (or `node --conditions=@hubline/source --import tsx packages/postgres/bench/owner-takeover.bench.ts`)
 * Environment: `BENCH_ROUNDS` (5), `HUBLINE_PG_URL` to measure a server of your own.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import { benchDatabase } from './support/bench-database.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ENTRIES = 50;
const CHILD = fileURLToPath(new URL('../test/fixtures/claiming-child.ts', import.meta.url));

/** Starts the claiming child and resolves once it holds its leases. */
async function holder(url: string, schema: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=@hubline/source', '--import', 'tsx', CHILD, url, schema, 'doomed'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('HELD\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code})`)));
  });
  return child;
}

await using database = await benchDatabase(false);
console.log(`owner takeover: ${ROUNDS} rounds of ${ENTRIES} leased entries, on a ${database.label}`);
console.log('\n| round | kill → nextDueIn() = 0 (ms) | kill → all claimed (ms) |\n|---|---|---|');
for (let round = 1; round <= ROUNDS; round++) {
  const schema = `bench_takeover_${process.pid}_${round}`;
  const store = await openPostgresOutbox({ connectionString: database.url, schema, poolSize: 2 });
  await store.recordMany(
    Array.from({ length: ENTRIES }, (_, n) => ({ eventTemplateId: '1001234', email: `v-${n}@example.com` })),
  );
  const child = await holder(database.url, schema);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const killedAt = performance.now();
  child.kill('SIGKILL');
  await exited;
  while ((await store.nextDueIn()) !== 0);
  const due = performance.now() - killedAt;
  let claimed = 0;
  while (claimed < ENTRIES)
    claimed += (await store.claim({ limit: ENTRIES, leaseMs: 60_000, owner: 'survivor' })).length;
  console.log(`| ${round} | ${due.toFixed(1)} | ${(performance.now() - killedAt).toFixed(1)} |`);
  await store.close();
  const client = new pg.Client(database.url);
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
}
