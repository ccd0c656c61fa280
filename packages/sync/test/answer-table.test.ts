import { appEventsDialect, v3Dialect, type WireDialect } from '@hubline/core';
import {
  defaultAccessToken,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '@hubline/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEngine, SyncEngineOptions, SyncOutcome, SyncState } from '../src/engine/types.js';
import {
  fastEngineOptions,
  openTempOutbox,
  startRecording,
  storedById,
  type TempOutbox,
  until,
  visit,
} from './support/integration.js';

const dialects: readonly [string, WireDialect][] = [
  ['v3', v3Dialect],
  ['2026-03', appEventsDialect],
];

describe.each(dialects)('the answer table over real HTTP (%s dialect)', (_name, dialect) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Emulator + outbox + engine, all cleaned up after the test. */
  async function setup(
    emulatorOptions: EmulatorOptions = {},
    engineOptions: Partial<SyncEngineOptions> = {},
    autoStart = true,
  ): Promise<{
    emulator: RunningEmulator;
    temp: TempOutbox;
    engine: () => SyncEngine;
    outcomes: SyncOutcome[];
    states: SyncState[];
    begin(): void;
  }> {
    const emulator = await startEmulator(emulatorOptions);
    cleanups.push(() => emulator.stop());
    const temp = openTempOutbox();
    cleanups.push(() => temp.dispose());
    const outcomes: SyncOutcome[] = [];
    const states: SyncState[] = [];
    let engine: SyncEngine | undefined;
    const begin = (): void => {
      const started = startRecording(fastEngineOptions(emulator, temp.outbox, dialect, engineOptions));
      engine = started.engine;
      started.engine.outcomes$.subscribe((outcome) => outcomes.push(outcome));
      started.engine.status$.subscribe((status) => states.push(status.state));
      cleanups.push(() => started.engine.stop());
    };
    if (autoStart) begin();
    return { emulator, temp, engine: () => engine!, outcomes, states, begin };
  }

  function expectExactlyOnce(emulator: RunningEmulator, ids: readonly string[]): void {
    const stored = storedById(emulator);
    for (const id of ids) expect(stored.get(id)?.length, `id ${id}`).toBe(1);
  }

  it('201/200: delivers every event of the batch', async () => {
    const { emulator, temp, engine } = await setup();
    const ids = temp.outbox.recordMany([1, 2, 3, 4, 5].map((n) => visit(n)));
    await Promise.all(ids.map((id) => engine().whenDelivered(id)));
    expectExactlyOnce(emulator, ids);
    const stored = storedById(emulator).get(ids[0]!)![0]!;
    expect(stored.tokens).toEqual({ page: '/page/1', seconds: '1' });
    for (const id of ids) expect(temp.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
  });

  it('207 or a whole-batch 400: delivers the valid events and dead-letters the invalid one with HubSpot’s reason', async () => {
    const { emulator, temp, engine, outcomes } = await setup();
    const good = temp.outbox.recordMany([1, 2, 3].map((n) => visit(n)));
    const bad = temp.outbox.record(visit(4, { tokens: { page: '/x', bogus: 'nope' } }));
    await Promise.all(good.map((id) => engine().whenDelivered(id)));
    await expect(engine().whenDelivered(bad)).rejects.toMatchObject({ code: 'DEAD_LETTERED' });
    expectExactlyOnce(emulator, good);
    expect(storedById(emulator).has(bad)).toBe(false);
    const dead = outcomes.find((outcome) => outcome.type === 'dead');
    expect(dead).toMatchObject({ id: bad });
    // v3 names the token; 2026-03 answers the whole batch with a summary ("1 validation error(s)…").
    expect(dead?.type === 'dead' && dead.message).toMatch(/bogus|validation error/);
  });

  it('400 for the whole batch ("too many inputs"): bisects until HubSpot accepts, losing nothing', async () => {
    const { emulator, temp, engine } = await setup({ limits: { maxBatchSize: 3 } }, { batchSize: 10 });
    const ids = temp.outbox.recordMany(Array.from({ length: 10 }, (_, n) => visit(n)));
    await Promise.all(ids.map((id) => engine().whenDelivered(id)));
    expectExactlyOnce(emulator, ids);
    expect(emulator.counters().byStatus['400']).toBeGreaterThan(0);
  });

  it('401: asks once for a fresh token and sends the same batch with it', async () => {
    const tokens = ['expired-token', defaultAccessToken];
    const { emulator, temp, engine } = await setup(
      { auth: { tokens: [{ token: defaultAccessToken }, { token: 'expired-token', expiresAt: 0 }] } },
      { accessToken: () => tokens.shift() ?? defaultAccessToken },
    );
    const [id] = temp.outbox.recordMany([visit(1)]);
    await engine().whenDelivered(id!);
    expectExactlyOnce(emulator, [id!]);
    expect(emulator.counters().byStatus['401']).toBe(1);
    expect(temp.outbox.get(id!)).toMatchObject({ attempts: 0 });
  });

  it('401 again after the refresh: pauses in unauthorized without losing or spending anything, then recovers', async () => {
    let token = 'revoked-token';
    const { emulator, temp, engine, states } = await setup({}, { accessToken: () => token });
    const [id] = temp.outbox.recordMany([visit(1)]);
    await until(() => states.includes('unauthorized'), 5000, 'unauthorized');
    expect(temp.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    token = defaultAccessToken;
    await engine().whenDelivered(id!);
    expectExactlyOnce(emulator, [id!]);
    expect(temp.outbox.get(id!)).toMatchObject({ attempts: 0 });
  });

  it('403: pauses in forbidden (missing scope) and resumes once a token with the scope is given', async () => {
    let token = 'no-scope-token';
    const { emulator, temp, engine, states } = await setup(
      { auth: { tokens: [{ token: defaultAccessToken }, { token: 'no-scope-token', scopes: [] }] } },
      { accessToken: () => token },
    );
    const [id] = temp.outbox.recordMany([visit(1)]);
    await until(() => states.includes('forbidden'), 5000, 'forbidden');
    expect(emulator.counters().byStatus['403']).toBe(1);
    token = defaultAccessToken;
    await engine().whenDelivered(id!);
    expect(temp.outbox.get(id!)).toMatchObject({ attempts: 0 });
  });

  it('404 for an event (unknown template): dead-letters that event only', async () => {
    const { emulator, temp, engine, outcomes } = await setup();
    const [good, bad] = temp.outbox.recordMany([visit(1), visit(2, { eventTemplateId: '999999' })]);
    await engine().whenDelivered(good!);
    await expect(engine().whenDelivered(bad!)).rejects.toMatchObject({ code: 'DEAD_LETTERED' });
    expectExactlyOnce(emulator, [good!]);
    expect(outcomes.find((outcome) => outcome.id === bad)).toMatchObject({ type: 'dead' });
  });

  it.each(['207-error', '409', '400-in-use'] as const)(
    '"already exists" (%s): counts as delivered, and a mixed batch still delivers the new events',
    async (conflictMode) => {
      const { emulator, temp, engine, outcomes } = await setup({ limits: { conflictMode } });
      const [first] = temp.outbox.recordMany([visit(1, { id: 'fixed-id-0001' })]);
      await engine().whenDelivered(first!);
      // Another device (its own outbox) recorded the same id: HubSpot already has it.
      const other = openTempOutbox();
      cleanups.push(() => other.dispose());
      const ids = other.outbox.recordMany([visit(1, { id: 'fixed-id-0001' }), visit(2), visit(3)]);
      const second = startRecording(fastEngineOptions(emulator, other.outbox, dialect));
      cleanups.push(() => second.engine.stop());
      await Promise.all(ids.map((id) => second.engine.whenDelivered(id)));
      expectExactlyOnce(emulator, ids);
      expect(second.outcomes).toContainEqual({
        type: 'delivered',
        id: 'fixed-id-0001',
        alreadyExisted: true,
      });
      expect(outcomes.filter((outcome) => outcome.type === 'dead')).toEqual([]);
    },
  );

  it('413: splits the batch and lowers the byte budget, delivering everything', async () => {
    const { emulator, temp, engine } = await setup({ limits: { maxBodyBytes: 1500 } }, { batchSize: 20 });
    const ids = temp.outbox.recordMany(Array.from({ length: 20 }, (_, n) => visit(n)));
    await Promise.all(ids.map((id) => engine().whenDelivered(id)));
    expectExactlyOnce(emulator, ids);
    expect(emulator.counters().byStatus['413']).toBeGreaterThan(0);
    for (const id of ids) expect(temp.outbox.get(id)).toMatchObject({ attempts: 0 });
  });

  it.each([
    ['423', 'locked-423'],
    ['477', 'migrating-477'],
  ] as const)('%s: waits as Retry-After says without using an attempt', async (status, fault) => {
    const { emulator, temp, engine } = await setup({ faults: { sequence: [fault], retryAfterSeconds: 1 } });
    const started = Date.now();
    const [id] = temp.outbox.recordMany([visit(1)]);
    await engine().whenDelivered(id!);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.counters().byStatus[status]).toBe(1);
    expect(temp.outbox.get(id!)).toMatchObject({ attempts: 0 });
    expectExactlyOnce(emulator, [id!]);
  });

  it('429: pauses until the window resets, never spends attempts, and pacing avoids 429s altogether', {
    timeout: 30_000,
  }, async () => {
    const { emulator, temp, engine } = await setup(
      { limits: { rateLimit: 3, rateWindowMs: 1000 } },
      { batchSize: 1 },
    );
    const ids = temp.outbox.recordMany(Array.from({ length: 8 }, (_, n) => visit(n)));
    await Promise.all(ids.map((id) => engine().whenDelivered(id)));
    expect(emulator.counters().rateLimited).toBeGreaterThan(0);
    for (const id of ids) expect(temp.outbox.get(id)).toMatchObject({ attempts: 0 });
    expectExactlyOnce(emulator, ids);

    // Paced at exactly the server's limit: the engine's default 250 ms window margin absorbs latency jitter.
    const paced = await setup(
      { limits: { rateLimit: 3, rateWindowMs: 1000 } },
      { batchSize: 1, rateLimit: { requests: 3, windowMs: 1000 } },
    );
    const more = paced.temp.outbox.recordMany(Array.from({ length: 8 }, (_, n) => visit(n)));
    await Promise.all(more.map((id) => paced.engine().whenDelivered(id)));
    expect(paced.emulator.counters().rateLimited).toBe(0);
  });

  it('5xx: retries with backoff, using attempts, and delivers', async () => {
    const { emulator, temp, engine } = await setup({ faults: { sequence: ['error-503', 'error-500'] } });
    const [id] = temp.outbox.recordMany([visit(1)]);
    await engine().whenDelivered(id!);
    expect(temp.outbox.get(id!)).toMatchObject({ attempts: 2 });
    expectExactlyOnce(emulator, [id!]);
  });

  it('5xx until maxAttempts: gives the event up (MAX_ATTEMPTS) only once HubSpot says it does not have it', async () => {
    const { emulator, temp, engine } = await setup(
      { faults: { sequence: ['error-503', 'error-503', 'error-503'] } },
      { maxAttempts: 3 },
    );
    const [id] = temp.outbox.recordMany([visit(1)]);
    if (dialect.readBack === undefined) {
      // 2026-03 has no read-back: the next re-send is the check, and HubSpot takes it.
      await engine().whenDelivered(id!);
      expect(temp.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 3 });
      expectExactlyOnce(emulator, [id!]);
      return;
    }
    // v3: the attempts are used up with the outcome unknown; the read-back finds no such event.
    await expect(engine().whenDelivered(id!)).rejects.toMatchObject({
      code: 'DEAD_LETTERED',
      category: 'MAX_ATTEMPTS',
      message: expect.stringMatching(/gave up after 3 attempts/),
    });
    expect(emulator.events()).toHaveLength(0);
  });

  it('timeout: re-sends the same id; the late-stored event counts once', async () => {
    const { emulator, temp, engine } = await setup(
      { faults: { sequence: ['slow'], slowMs: 800 } },
      { requestTimeoutMs: 300 },
    );
    const [id] = temp.outbox.recordMany([visit(1)]);
    await engine().whenDelivered(id!);
    await until(() => emulator.requests().every((request) => request.status !== null), 3000, 'slow answer');
    expectExactlyOnce(emulator, [id!]);
  });

  it.each(['reset-before-store', 'reset-after-store'] as const)(
    'connection reset (%s): retries and the event is stored exactly once',
    async (fault) => {
      const { emulator, temp, engine } = await setup({ faults: { sequence: [fault] } });
      const ids = temp.outbox.recordMany([visit(1), visit(2)]);
      await Promise.all(ids.map((id) => engine().whenDelivered(id)));
      expectExactlyOnce(emulator, ids);
      expect(temp.outbox.get(ids[0]!)).toMatchObject({ attempts: 1 });
    },
  );

  it('no connection at all: waits for the network without spending attempts', async () => {
    const { emulator, temp, engine, states, begin } = await setup(
      { online: false },
      { maxAttempts: 2 },
      false,
    );
    const [id] = temp.outbox.recordMany([visit(1)]);
    begin();
    await until(() => states.includes('offline'), 5000, 'offline');
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Probes claim it briefly (leased) and give it back; neither spends an attempt.
    expect(['pending', 'leased']).toContain(temp.outbox.get(id!)?.status);
    expect(temp.outbox.get(id!)?.attempts).toBe(0);
    await emulator.setOnline(true);
    await engine().whenDelivered(id!);
    expectExactlyOnce(emulator, [id!]);
  });
});
