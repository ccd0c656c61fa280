import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { firstValueFrom } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

const CHILD = fileURLToPath(new URL('./fixtures/claiming-child.ts', import.meta.url));

/** A claiming child (`fixtures/claiming-child.ts`) once it holds its leases: the ids it printed, and the process. */
async function startHolder(schema: string, owner: string): Promise<{ ids: string[]; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@hubline/source', '--import', 'tsx', CHILD, pgUrl(), schema, owner],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child held nothing in 60 s: ${err}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('HELD\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code}): ${err}`)));
  });
  const ids = out
    .split('\n')
    .filter((line) => line.startsWith('C '))
    .map((line) => line.slice(2));
  return { ids, process: child };
}

/** SIGKILLs a child and waits for it to be gone. */
async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const event = (n: number) => ({
  eventTemplateId: '1001234',
  email: `visitor-${n}@example.com`,
  tokens: { n },
});

/*
 * An engine that dies (SIGKILL, a crash, its machine gone) loses its leases as soon as PostgreSQL ends its
 * session: the store's session holds an advisory lock per lease owner, and a claim treats the leases of an owner
 * whose lock is free as expired. Real processes, a real server, the default (server) clock.
 */
describe('the leases of an engine whose session is gone', () => {
  const schemas = new TestSchemas('owners');
  const opened: PostgresOutbox[] = [];
  const open = async (schema: string) => {
    const store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 2 });
    opened.push(store);
    return store;
  };
  afterAll(async () => {
    for (const store of opened) await store.close();
    await schemas.dropAll();
  });

  it('are taken over at once when it is SIGKILLed, not after their ten-minute lease', async () => {
    const schema = schemas.fresh();
    const seed = await open(schema);
    const ids = await seed.recordMany(Array.from({ length: 5 }, (_, n) => event(n)));
    const holder = await startHolder(schema, 'engine-1');
    expect(holder.ids.sort()).toEqual([...ids].sort());

    // While it lives, its leases hold, for any other store.
    const other = await open(schema);
    expect(await other.claim({ limit: 10, leaseMs: 30_000, owner: 'engine-2' })).toEqual([]);
    expect(await other.nextDueIn()).toBeGreaterThan(500_000);

    const killedAt = performance.now();
    await kill(holder.process);
    // PostgreSQL ends the session when the socket closes; nextDueIn sees the owner gone from then on.
    while ((await other.nextDueIn()) !== 0) {
      expect(performance.now() - killedAt, 'the lease is still held 10 s after the kill').toBeLessThan(
        10_000,
      );
    }
    const claimed = await other.claim({ limit: 10, leaseMs: 30_000, owner: 'engine-2' });
    expect(claimed.map((entry) => entry.id).sort()).toEqual([...ids].sort());
    expect((await other.history(ids[0]!)).map((record) => record.event)).toEqual([
      expect.objectContaining({ type: 'Recorded' }),
      expect.objectContaining({ type: 'Claimed', owner: 'engine-1' }),
      expect.objectContaining({ type: 'LeaseExpired', owner: 'engine-1', ownerGone: true }),
      expect.objectContaining({ type: 'Claimed', owner: 'engine-2' }),
    ]);
    expect(await other.stats()).toMatchObject({ pending: 0, inFlight: 5 });
  }, 120_000);

  it('are taken over by the killed engine itself when it restarts under the same owner name', async () => {
    const schema = schemas.fresh();
    const seed = await open(schema);
    const ids = await seed.recordMany(Array.from({ length: 3 }, (_, n) => event(n)));
    const holder = await startHolder(schema, 'kiosk');
    await kill(holder.process);
    const restarted = await open(schema);
    let claimed = await restarted.claim({ limit: 10, leaseMs: 30_000, owner: 'kiosk' });
    // The first claim may run before PostgreSQL has ended the killed session (then the lock is not free yet).
    for (const startedAt = performance.now(); claimed.length === 0; ) {
      expect(performance.now() - startedAt).toBeLessThan(10_000);
      claimed = await restarted.claim({ limit: 10, leaseMs: 30_000, owner: 'kiosk' });
    }
    expect(claimed.map((entry) => entry.id).sort()).toEqual([...ids].sort());
    expect((await restarted.history(ids[0]!)).map((record) => record.event.type)).toEqual([
      'Recorded',
      'Claimed',
      'LeaseExpired',
      'Claimed',
    ]);
  }, 120_000);

  it("are free at once when the server cuts a store's session, which the store then opens again", async () => {
    const schema = schemas.fresh();
    const cut = await open(schema);
    const [id] = await cut.recordMany([event(1)]);
    await cut.claim({ limit: 1, leaseMs: 600_000, owner: 'cut' });
    const other = await open(schema);
    expect(await other.claim({ limit: 1, leaseMs: 60_000, owner: 'other' })).toEqual([]);
    // What a machine that vanished comes to, once the server notices: its session ends, its locks go with it.
    const admin = new pg.Client(pgUrl());
    await admin.connect();
    const terminated = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND classid = hashtext($1)::oid AND objid = hashtext($2)::oid AND objsubid = 2`,
      [`hubline:owners:${schema}`, 'cut'],
    );
    await admin.end();
    expect(terminated.rowCount).toBe(1);
    while ((await other.nextDueIn()) !== 0);
    expect(
      (await other.claim({ limit: 1, leaseMs: 60_000, owner: 'other' })).map((entry) => entry.id),
    ).toEqual([id]);
    // The cut store carries on: it opens a new session, and hears the other store's records again.
    expect(await cut.nextDueIn()).toBeGreaterThan(50_000);
    const heard = firstValueFrom(cut.changes$);
    await other.record(event(2));
    expect(await heard).toBe(1);
    expect(await cut.claim({ limit: 5, leaseMs: 60_000, owner: 'cut' })).toHaveLength(1);
  }, 60_000);

  it('are not taken over while the engine lives, even by a store claiming under its owner name', async () => {
    const schema = schemas.fresh();
    const alive = await open(schema);
    const [id] = await alive.recordMany([event(1)]);
    await alive.claim({ limit: 1, leaseMs: 60_000, owner: 'busy' });
    const twin = await open(schema);
    expect(await twin.claim({ limit: 10, leaseMs: 60_000, owner: 'busy' })).toEqual([]);
    expect(await twin.claim({ limit: 10, leaseMs: 60_000, owner: 'other' })).toEqual([]);
    expect(await twin.nextDueIn()).toBeGreaterThan(50_000);
    expect((await alive.get(id!))?.leaseOwner).toBe('busy');
    // Closing the store ends its session: its owner's leases are free for the others at once.
    await alive.close();
    expect(await twin.nextDueIn()).toBe(0);
    expect(
      (await twin.claim({ limit: 10, leaseMs: 60_000, owner: 'other' })).map((entry) => entry.id),
    ).toEqual([id]);
  });
});
