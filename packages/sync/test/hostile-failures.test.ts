/**
 * Answers that fail visibly (5xx, resets, timeouts, 429/423/477), the last attempt's verification, and a token
 * endpoint that is out of reach or failing — through the real engine, a real outbox file and the real emulator.
 * Each run asserts what every hostile run does (delivered ⇔ stored once, dead letters only for HubSpot's refusals
 * or a verified `MAX_ATTEMPTS`), plus what the class costs in attempts.
 */
import {
  defaultOAuthClient,
  type FaultKind,
  type FaultOptions,
  type TokenFaultKind,
} from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { oauthRefreshToken } from '../src/auth/oauth-refresh-token.js';
import type { SyncState } from '../src/engine/types.js';
import { HOSTILE_TUNING, hostileDialects, startHostileRun } from './support/hostile-run.js';
import { until } from './support/integration.js';

/** What one visibly failing answer to the first request costs each event, and how it ends. */
interface FailureClass {
  readonly kind: FaultKind;
  readonly faults?: FaultOptions;
  /** Attempts each event used. */
  readonly attempts: number;
  /** Whether HubSpot stored the first request after all, so the re-send is answered "already exists". */
  readonly storedFirst: boolean;
  /** A state `status$` must have shown meanwhile. */
  readonly state?: SyncState;
  /** The first request's events are stored only after the engine gave up waiting for it. */
  readonly storedLater?: boolean;
}

const failureClasses: readonly FailureClass[] = [
  { kind: 'error-500', attempts: 1, storedFirst: false },
  { kind: 'error-502', faults: { htmlBodyRate: 1 }, attempts: 1, storedFirst: false },
  { kind: 'error-503', faults: { htmlBodyRate: 0 }, attempts: 1, storedFirst: false },
  { kind: 'error-504', faults: { htmlBodyRate: 1 }, attempts: 1, storedFirst: false },
  { kind: 'reset-before-store', attempts: 1, storedFirst: false },
  { kind: 'reset-after-store', attempts: 1, storedFirst: true },
  // Answered after the engine's timeout: re-sent (and created) before the slow request stores anything.
  { kind: 'slow', faults: { slowMs: 1500 }, attempts: 1, storedFirst: false, storedLater: true },
  {
    kind: 'rate-limit-burst',
    faults: { burstLength: 1 },
    attempts: 0,
    storedFirst: false,
    state: 'rate-limited',
  },
  {
    kind: 'locked-423',
    faults: { retryAfterSeconds: 1 },
    attempts: 0,
    storedFirst: false,
    state: 'backing-off',
  },
  {
    kind: 'migrating-477',
    faults: { retryAfterSeconds: 1 },
    attempts: 0,
    storedFirst: false,
    state: 'backing-off',
  },
];

describe.each(hostileDialects)(
  'visible failures through the real engine, outbox and emulator (%s)',
  (_name, dialect) => {
    it.each(failureClasses)('$kind to the first request', { timeout: 20_000 }, async (failure) => {
      // A 1 s window: a 429's interval header then pauses the budget for the floor of 1 s, not 10.
      const hostile = await startHostileRun(dialect, {
        faults: { seed: 5, sequence: [failure.kind], ...failure.faults },
        limits: { rateWindowMs: 1000 },
      });
      const ids = hostile.record(3);
      await hostile.drained();
      if (failure.storedLater === true) {
        await until(() => hostile.emulator.counters().duplicateIdsSeen >= ids.length, 5000, 'the slow store');
      }

      expect(hostile.emulator.requests()[0]?.fault).toBe(failure.kind);
      hostile.expectTruth(ids);
      for (const id of ids) {
        const delivered = hostile.temp.outbox
          .history(id)
          .map((record) => record.event)
          .find((event) => event.type === 'Delivered');
        expect(hostile.temp.outbox.get(id)?.attempts).toBe(failure.attempts);
        expect(delivered?.evidence).toBe(failure.storedFirst ? 'already-exists' : 'result');
      }
      if (failure.state !== undefined) {
        expect(hostile.statuses.map((status) => status.state)).toContain(failure.state);
      }
    });

    const readBack = dialect.readBack !== undefined;

    it('a 5xx on the last attempt: gives the event up only on evidence that HubSpot lacks it', async () => {
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['error-503'], htmlBodyRate: 0 } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      // v3 reads it back and finds nothing: MAX_ATTEMPTS. 2026-03 has no read-back, so it re-sends: created.
      expect(hostile.temp.outbox.get(id!)).toMatchObject({
        status: readBack ? 'dead' : 'delivered',
        attempts: 1,
      });
    });

    it('a hostile 2xx that stored the event on the last attempt: the check finds it delivered', async () => {
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['html-200-stored'] } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      const delivered = hostile.temp.outbox
        .history(id!)
        .map((record) => record.event)
        .find((event) => event.type === 'Delivered');
      expect(delivered?.evidence).toBe(readBack ? 'read-back' : 'already-exists');
    });

    it('a read-back that proves nothing is asked again, without an attempt, until HubSpot answers', async () => {
      // The batch gets a 503 (the last attempt); the read-backs get an empty 200 and a proxy's 502 (or, without a
      // read-back, the re-sends do), then HubSpot's own answer.
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['error-503', 'empty-200', 'error-502'], htmlBodyRate: 1 } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      const methods = hostile.emulator.requests().map((request) => `${request.method} ${request.status}`);
      expect(methods).toEqual(
        readBack
          ? ['POST 503', 'GET 200', 'GET 502', 'GET 404']
          : ['POST 503', 'POST 200', 'POST 502', 'POST 200'],
      );
      expect(hostile.temp.outbox.get(id!)?.status).toBe(readBack ? 'dead' : 'delivered');
    });

    it('a timeout on the last attempt: the event is not given up while the timed-out request may still land', {
      timeout: 20_000,
    }, async () => {
      // HubSpot may still be working on a request the engine stopped waiting for: a read-back's 404 right after
      // proves only that it has not landed yet. The slow request stores the event 1.5 s after it arrived.
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['slow'], slowMs: 1500 } },
        { maxAttempts: 1 },
      );
      const confirming: number[] = [];
      hostile.engine.stats$.subscribe((stats) => confirming.push(stats.confirming ?? -1));
      const [id] = hostile.record(1);
      await hostile.drained();
      await until(
        () => hostile.emulator.requests().every((request) => request.durationMs !== undefined),
        5000,
        'the slow request to end',
      );

      hostile.expectTruth([id!]);
      expect(hostile.temp.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 1 });
      if (readBack) {
        // Meanwhile stats$ said so, and the read-backs that found nothing yet used no attempt.
        expect(Math.max(...confirming)).toBe(1);
        await until(() => confirming.at(-1) === 0, 2000, 'stats$ to show nothing left to confirm');
        const gets = hostile.emulator.requests().filter((request) => request.method === 'GET');
        expect(gets.at(-1)?.status).toBe(200);
        expect(gets.slice(0, -1).every((request) => request.status === 404)).toBe(true);
      }
    });

    it('no answer on the last attempt and nothing stored: given up only once confirmWindowMs has passed', {
      timeout: 20_000,
    }, async () => {
      // A reset may come while HubSpot still works on the request, so "not found" waits out the window; then it
      // is evidence (v3). Without a read-back (2026-03) the re-send is created.
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['reset-before-store'] } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      const recordedAt = Date.now();
      await hostile.drained();

      hostile.expectTruth([id!]);
      expect(hostile.temp.outbox.get(id!)).toMatchObject({
        status: readBack ? 'dead' : 'delivered',
        attempts: 1,
      });
      if (readBack) {
        expect(Date.now() - recordedAt).toBeGreaterThanOrEqual(HOSTILE_TUNING.confirmWindowMs);
        const gets = hostile.emulator.requests().filter((request) => request.method === 'GET');
        expect(gets.length).toBeGreaterThan(1);
        expect(gets.every((request) => request.status === 404)).toBe(true);
      }
    });

    it('a batch HubSpot accepted (PENDING) and a 5xx on the re-send that used the last attempt: not given up while the accepted batch may still land', {
      timeout: 20_000,
    }, async () => {
      // HubSpot said PENDING: it took the batch and stores it 1 s later. The confirming re-send gets a 503.
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['batch-pending-delayed', 'error-503'], pendingMs: 1000, htmlBodyRate: 0 } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();
      await until(() => hostile.emulator.events().length > 0, 5000, 'the accepted batch to land');

      hostile.expectTruth([id!]);
    });

    it('an event HubSpot may hold from an earlier attempt is not given up because a later attempt was CANCELED', async () => {
      // Attempt 1: stored, but answered with an empty 200 (in doubt). Attempt 2, the last: CANCELED — which says
      // HubSpot did not store *that* request, nothing about the first.
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['empty-200-stored', 'batch-canceled'] } },
        { maxAttempts: 2 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      expect(hostile.temp.outbox.get(id!)?.status).toBe('delivered');
    });

    it('…nor when a 429 turned it away in between (a 429 proves nothing about earlier attempts either)', {
      timeout: 20_000,
    }, async () => {
      const hostile = await startHostileRun(
        dialect,
        {
          faults: { sequence: ['empty-200-stored', 'rate-limit-burst', 'batch-canceled'], burstLength: 1 },
          limits: { rateWindowMs: 1000 },
        },
        { maxAttempts: 2 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      expect(hostile.temp.outbox.get(id!)?.status).toBe('delivered');
    });

    it('a CANCELED batch on the last attempt: HubSpot said it did not store it, so MAX_ATTEMPTS at once', async () => {
      const hostile = await startHostileRun(
        dialect,
        { faults: { sequence: ['batch-canceled'] } },
        { maxAttempts: 1 },
      );
      const [id] = hostile.record(1);
      await hostile.drained();

      hostile.expectTruth([id!]);
      expect(hostile.temp.outbox.get(id!)).toMatchObject({ status: 'dead', attempts: 1 });
      expect(hostile.emulator.requests().map((request) => request.method)).toEqual(['POST']);
    });
  },
);

/** A token endpoint fault and the pause it must cause. */
const tokenClasses: readonly { kind: TokenFaultKind; state: SyncState }[] = [
  { kind: 'token-reset', state: 'offline' },
  { kind: 'token-hang', state: 'offline' },
  { kind: 'token-error-500', state: 'backing-off' },
  { kind: 'token-error-503', state: 'backing-off' },
  { kind: 'token-html-200', state: 'backing-off' },
];

describe.each(hostileDialects)('the OAuth token endpoint failing (%s)', (_name, dialect) => {
  /** The engine's own `baseUrl` is where the provider refreshes (it is given none). */
  const oauth = () =>
    oauthRefreshToken({
      clientId: defaultOAuthClient.clientId,
      clientSecret: defaultOAuthClient.clientSecret,
      refreshToken: defaultOAuthClient.refreshTokens[0]!,
      timeoutMs: 300,
    });

  it.each(tokenClasses)(
    '$kind: pauses as $state, spends nothing, then delivers',
    { timeout: 20_000 },
    async ({ kind, state }) => {
      const hostile = await startHostileRun(
        dialect,
        { faults: { tokenSequence: [kind], hangMs: 2000 } },
        { accessToken: oauth() },
      );
      const ids = hostile.record(2);
      await hostile.drained();

      hostile.expectTruth(ids);
      expect(hostile.statuses.map((status) => status.state)).toContain(state);
      for (const id of ids) expect(hostile.temp.outbox.get(id)).toMatchObject({ attempts: 0 });
      const paths = hostile.emulator.requests().map((request) => `${request.path} ${request.fault ?? ''}`);
      expect(paths[0]).toBe(`/oauth/v1/token ${kind}`);
    },
  );

  it('unreachable (connection refused): pauses offline, probes, and delivers once it answers', {
    timeout: 20_000,
  }, async () => {
    const hostile = await startHostileRun(dialect, { online: false }, { accessToken: oauth() });
    const ids = hostile.record(2);
    await until(() => hostile.statuses.some((status) => status.state === 'offline'), 5000, 'offline');
    expect(hostile.statuses.at(-1)?.reason).toMatch(/no access token/);
    await hostile.emulator.setOnline(true);
    await hostile.drained();

    hostile.expectTruth(ids);
    for (const id of ids) expect(hostile.temp.outbox.get(id)).toMatchObject({ attempts: 0 });
  });
});
