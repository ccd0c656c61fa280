import {
  appEventsDialect,
  createSeededRandom as seededRandom,
  type TimelineEventInput,
  v3Dialect,
  type WireDialect,
} from '@hubline/core';
import { defaultOAuthClient, startEmulator } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { oauthRefreshToken } from '../src/auth/oauth-refresh-token.js';
import { createSyncEngine } from '../src/engine/create-sync-engine.js';
import type { SyncEngineOptions } from '../src/engine/types.js';
import { startChildEngine } from './support/child-engine.js';
import { openTempOutbox, storedById, until, visit } from './support/integration.js';

/** Replay a failing run with `HUBLINE_CHAOS_SEED=<seed>`. */
const SEED = Number(process.env.HUBLINE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

const ENGINE_TUNING = {
  batchSize: 25,
  maxInFlight: 2,
  requestTimeoutMs: 400,
  leaseMs: 1500,
  backoff: { baseMs: 50, maxMs: 400 },
  // Paced below the emulator's limit (a short window keeps 429 pauses, and so the run, short).
  rateLimit: { requests: 90, windowMs: 2000 },
} as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const dialects: readonly ['v3' | '2026-03', WireDialect][] = [
  ['v3', v3Dialect],
  ['2026-03', appEventsDialect],
];

describe.each(dialects)('exactly once under chaos (%s dialect)', (dialectName, dialect) => {
  it('every recorded id reaches the emulator exactly once with its content, through faults, restarts and SIGKILLs', {
    timeout: 120_000,
  }, async () => {
    const seed = SEED + (dialectName === 'v3' ? 0 : 1);
    try {
      await chaosRun(seed, dialectName, dialect);
    } catch (error) {
      console.error(
        `chaos run failed: replay with HUBLINE_CHAOS_SEED=${SEED} (seed ${seed}, ${dialectName})`,
      );
      throw new Error(`chaos run failed with seed ${seed} (${dialectName})`, { cause: error });
    }
  });
});

async function chaosRun(seed: number, dialectName: 'v3' | '2026-03', dialect: WireDialect): Promise<void> {
  const random = seededRandom(seed);
  const between = (low: number, high: number): number => Math.floor(low + random() * (high - low));
  const emulator = await startEmulator({
    auth: { accessTokenTtlMs: 2000 },
    limits: { rateLimit: 100, rateWindowMs: 2000 },
    faults: {
      seed,
      latencyMs: 10,
      jitterMs: 40,
      slowMs: 700,
      burstLength: 2,
      retryAfterSeconds: 1,
      rates: {
        'error-500': 0.03,
        'error-503': 0.03,
        'reset-before-store': 0.03,
        'reset-after-store': 0.04,
        slow: 0.03,
        'rate-limit-burst': 0.01,
        'locked-423': 0.01,
      },
    },
  });
  const temp = openTempOutbox();
  const children: ReturnType<typeof startChildEngine>[] = [];
  try {
    const oauth = {
      clientId: defaultOAuthClient.clientId,
      clientSecret: defaultOAuthClient.clientSecret,
      refreshToken: defaultOAuthClient.refreshTokens[0]!,
    };
    const valid: string[] = [];
    const invalid: string[] = [];
    let n = 0;
    const recordSome = (count: number): void => {
      const inputs: TimelineEventInput[] = [];
      for (let i = 0; i < count; i += 1) {
        n += 1;
        inputs.push(
          random() < 0.02
            ? visit(n, { tokens: { page: `/bad/${n}`, bogus: 'not in the template' } })
            : visit(n),
        );
      }
      const ids = temp.outbox.recordMany(inputs);
      ids.forEach((id, index) => {
        (inputs[index]!.tokens?.bogus === undefined ? valid : invalid).push(id);
      });
    };
    const engineOptions = (): SyncEngineOptions => ({
      outbox: temp.outbox,
      accessToken: oauthRefreshToken({ ...oauth, baseUrl: emulator.url, refreshSkewMs: 0 }),
      baseUrl: emulator.url,
      dialect,
      pollIntervalMs: 100,
      offlineProbeMs: 150,
      authRetryMs: 300,
      random,
      ...ENGINE_TUNING,
    });

    recordSome(150);
    for (let round = 0; round < 4; round += 1) {
      // An in-process engine, stopped without draining at a random moment (often mid-request): half the time it
      // waits for the request in flight, half the time it aborts it at once.
      const engine = createSyncEngine(engineOptions());
      engine.start();
      await sleep(between(150, 600));
      recordSome(between(30, 80));
      if (random() < 0.5) {
        await emulator.setOnline(false);
        await sleep(between(100, 400));
        await emulator.setOnline(true);
      }
      await sleep(between(50, 300));
      await engine.stop(random() < 0.5 ? {} : { timeoutMs: 0 });

      // A child process running the engine, SIGKILLed right after it starts a request (with fresh work to send).
      recordSome(between(40, 80));
      const child = startChildEngine({
        path: temp.path,
        baseUrl: emulator.url,
        dialect: dialectName,
        owner: `child-${round}`,
        oauth: { ...oauth, refreshSkewMs: 0 },
        engine: ENGINE_TUNING,
      });
      children.push(child);
      const requests = between(1, 4);
      // A pause (429 burst, expired token) may hold it back; a kill while it waits is a crash worth having too.
      await Promise.race([
        child
          .until((lines) => lines.filter((line) => line === 'sending').length >= requests, 60_000)
          .catch(() => {}),
        sleep(8000),
      ]);
      await sleep(between(0, 30));
      await child.kill();
      recordSome(between(20, 60));
    }

    // Calm down and drain: a killed child's leases expire after leaseMs, then everything is claimable again.
    emulator.setFaults({
      rates: Object.fromEntries(Object.keys(emulator.faults().rates ?? {}).map((kind) => [kind, 0])),
    });
    const final = createSyncEngine(engineOptions());
    let lastStatus = '';
    final.status$.subscribe((status) => (lastStatus = JSON.stringify(status)));
    final.start();
    const drained = until(
      () => {
        const stats = temp.outbox.stats();
        return stats.pending === 0 && stats.inFlight === 0;
      },
      60_000,
      'the outbox to drain',
    );
    await drained.catch((error: unknown) => {
      throw new Error(
        `${String(error)}; stats ${JSON.stringify(temp.outbox.stats())}; status ${lastStatus}; emulator ${JSON.stringify(emulator.counters())}`,
      );
    });
    await final.stop();

    const stored = storedById(emulator);
    const lost = valid.filter((id) => stored.get(id)?.length !== 1);
    expect(lost, 'valid ids not stored exactly once').toEqual([]);
    for (const id of valid) {
      const entry = temp.outbox.get(id)!;
      const event = stored.get(id)![0]!;
      expect(entry.status).toBe('delivered');
      expect(event.tokens).toEqual(entry.event.tokens);
      expect(event.email).toBe(entry.event.email);
      expect(event.timestamp).toBe(entry.event.timestamp);
    }
    const dead = temp.outbox.listDead({ limit: 10_000 });
    expect(dead.map((entry) => entry.id).sort()).toEqual([...invalid].sort());
    for (const entry of dead) {
      expect(entry.lastError).toMatch(/bogus|validation error/i);
      expect(stored.has(entry.id)).toBe(false);
    }
    expect(emulator.counters().faultsInjected).toBeGreaterThan(0);
  } finally {
    await Promise.all(children.map((child) => child.kill()));
    await emulator.stop();
    temp.dispose();
  }
}
