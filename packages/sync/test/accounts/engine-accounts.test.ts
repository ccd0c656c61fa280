import { v3Dialect } from '@hubline/core';
import { defaultOAuthClient, type RunningEmulator, startEmulator } from '@hubline/emulator';
import type { Outbox } from '@hubline/outbox';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDrainChild } from '../../bench/accounts-support.js';
import type { InstallTokens } from '../../src/auth/oauth-installs.js';
import { oauthInstalls } from '../../src/auth/oauth-installs.js';
import { createSyncEngine } from '../../src/engine/create-sync-engine.js';
import type { SyncEngine, SyncEngineOptions, SyncStatus } from '../../src/engine/types.js';
import { openTempOutbox, type TempOutbox, until, visit } from '../support/integration.js';

const BATCH_PATH = '/integrators/timeline/v3/events/batch/create';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulatorWith(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const running = await startEmulator(options);
  cleanups.push(() => running.stop());
  return running;
}

function tempOutbox(): TempOutbox {
  const temp = openTempOutbox();
  cleanups.push(() => temp.dispose());
  return temp;
}

/** An engine on the emulator with short waits; every account has its own token source. */
function engineFor(
  running: RunningEmulator,
  outbox: Outbox,
  accounts: SyncEngineOptions['accounts'],
  overrides: Partial<SyncEngineOptions> = {},
): SyncEngine {
  const engine = createSyncEngine({
    outbox,
    accounts,
    baseUrl: running.url,
    dialect: v3Dialect,
    requestTimeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    pollIntervalMs: 100,
    offlineProbeMs: 150,
    statsIntervalMs: 100,
    batchDelayMs: 0,
    ...overrides,
  });
  cleanups.push(async () => {
    await engine.stop({ timeoutMs: 2000 });
  });
  return engine;
}

/** Record `count` valid events for `account`, ids `<account>-<n>`. */
function recordFor(outbox: Outbox, account: string, count: number, from = 0): string[] {
  return outbox.recordMany(
    Array.from({ length: count }, (_, n) => visit(from + n, { account, id: `${account}-${from + n}` })),
  );
}

/** The account each stored event landed in at the emulator (the account of the token it was sent with). */
function storedAccounts(running: RunningEmulator): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const event of running.events()) {
    byId.set(event.id, [...(byId.get(event.id) ?? []), event.account ?? '(none)']);
  }
  return byId;
}

const current = <T>(source: { subscribe(next: (value: T) => void): { unsubscribe(): void } }): T => {
  let value: T | undefined;
  source
    .subscribe((next) => {
      value = next;
    })
    .unsubscribe();
  return value as T;
};

describe('the sync engine with several HubSpot accounts in one outbox file', () => {
  it('sends each account’s events in its own batches with its own token', { timeout: 30_000 }, async () => {
    const running = await emulatorWith({
      accounts: ['101', '202', '303'].map((id) => ({ id, tokens: [{ token: `tok-${id}` }] })),
    });
    const { outbox } = tempOutbox();
    const ids = ['101', '202', '303'].flatMap((account) => recordFor(outbox, account, 40));
    const engine = engineFor(
      running,
      outbox,
      { '101': 'tok-101', '202': 'tok-202', '303': 'tok-303' },
      {
        batchSize: 15,
        rateLimit: false,
      },
    );
    engine.start();
    await until(() => outbox.stats().delivered === ids.length, 20_000, 'every account delivered');

    // The emulator stores an event in the account of the token it came with: every event is in its own account,
    // once, so no batch mixed accounts and no account used another's token.
    const stored = storedAccounts(running);
    for (const id of ids) expect(stored.get(id), id).toEqual([id.split('-')[0]]);
    for (const account of ['101', '202', '303']) {
      expect(outbox.stats(account)).toMatchObject({ delivered: 40, pending: 0, dead: 0 });
      expect(outbox.get(`${account}-0`)?.account).toBe(account);
      // 40 events in batches of at most 15: three requests each.
      expect(running.requests().filter((r) => r.path === BATCH_PATH && r.account === account)).toHaveLength(
        3,
      );
    }
  });

  it('keeps a request of every account in flight at once without Node warning of a listener leak', {
    timeout: 30_000,
  }, async () => {
    const accounts = Array.from({ length: 16 }, (_, n) => String(501 + n));
    // Slow answers keep every account's request on the wire together, each listening to the engine's stop signal.
    const running = await emulatorWith({
      accounts: accounts.map((id) => ({ id, tokens: [{ token: `tok-${id}` }] })),
      faults: { latencyMs: 300 },
    });
    const { outbox } = tempOutbox();
    const ids = accounts.flatMap((account) => recordFor(outbox, account, 2));
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    cleanups.push(() => {
      process.off('warning', onWarning);
    });
    const engine = engineFor(running, outbox, Object.fromEntries(accounts.map((id) => [id, `tok-${id}`])), {
      rateLimit: false,
    });
    let mostSending = 0;
    const subscription = engine.statuses$.subscribe((statuses) => {
      const sending = Object.values(statuses).filter((status) => status.state === 'sending').length;
      mostSending = Math.max(mostSending, sending);
    });
    cleanups.push(() => subscription.unsubscribe());
    engine.start();
    await until(() => outbox.stats().delivered === ids.length, 20_000, 'every account delivered');
    await new Promise<void>((resolve) => setImmediate(resolve));

    expect(mostSending).toBeGreaterThan(10);
    expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('keeps delivering every other account while one is rate-limited and one uninstalled, and says so per account', {
    timeout: 30_000,
  }, async () => {
    const running = await emulatorWith({
      accounts: [
        { id: '101', installs: [{ refreshToken: 'rt-101' }] },
        { id: '202', installs: [{ refreshToken: 'rt-202' }] },
        // One request per minute: the second is answered 429.
        { id: '303', tokens: [{ token: 'tok-303' }], limits: { rateLimit: 1, rateWindowMs: 60_000 } },
      ],
    });
    const saved = new Map<string, InstallTokens>([
      ['101', { refreshToken: 'rt-101' }],
      ['202', { refreshToken: 'rt-202' }],
    ]);
    const installs = oauthInstalls({
      clientId: defaultOAuthClient.clientId,
      clientSecret: defaultOAuthClient.clientSecret,
      store: {
        load: (account) => saved.get(account),
        save: (account, tokens) => void saved.set(account, tokens),
      },
      baseUrl: running.url,
    });
    const { outbox } = tempOutbox();
    const engine = engineFor(
      running,
      outbox,
      (account) => (account === '303' ? 'tok-303' : installs(account)),
      {
        batchSize: 5,
        // Long enough that the paused accounts stay paused while the test looks.
        authRetryMs: 60_000,
      },
    );
    recordFor(outbox, '101', 5);
    recordFor(outbox, '202', 5);
    engine.start();
    await until(() => outbox.stats('202').delivered === 5 && outbox.stats('101').delivered === 5, 10_000);

    // The app is uninstalled from 202 (HubSpot refuses its tokens from now on); 303 runs out of budget.
    expect(running.revokeInstalls('202')).toBe(1);
    recordFor(outbox, '202', 5, 5);
    recordFor(outbox, '303', 10);
    await until(
      () => {
        const statuses = current(engine.statuses$);
        return statuses['202']?.state === 'unauthorized' && statuses['303']?.state === 'rate-limited';
      },
      10_000,
      '202 unauthorized and 303 rate-limited',
    );
    // Meanwhile 101 goes on as if nothing happened.
    recordFor(outbox, '101', 20, 5);
    await until(() => outbox.stats('101').delivered === 25, 10_000, 'account 101 delivered');

    const statuses = current(engine.statuses$) as Record<string, SyncStatus>;
    expect(statuses['101']).toEqual({ state: 'idle' });
    expect(statuses['202']).toMatchObject({ state: 'unauthorized' });
    expect(statuses['303']).toMatchObject({ state: 'rate-limited' });
    expect(await firstValueFrom(engine.statusOf$('202'))).toMatchObject({ state: 'unauthorized' });
    expect(await firstValueFrom(engine.statusOf$('999'))).toEqual({ state: 'idle' });
    // Nothing of the paused accounts was spent or lost: their events wait.
    expect(outbox.stats('202')).toMatchObject({ delivered: 5, pending: 5, dead: 0 });
    expect(outbox.stats('303')).toMatchObject({ delivered: 5, pending: 5, dead: 0 });
    expect(await engine.statsOf('101')).toMatchObject({
      delivered: 25,
      deliveredByEngine: 25,
      rateLimited: 0,
    });
    expect(await engine.statsOf('202')).toMatchObject({ pending: 5, deliveredByEngine: 5 });
    expect(await engine.statsOf('303')).toMatchObject({ pending: 5, deliveredByEngine: 5 });
    expect((await engine.statsOf('303')).rateLimited).toBeGreaterThanOrEqual(1);
    // 101 was never refused anything.
    expect(running.counters('101')).toMatchObject({ rateLimited: 0, eventsStored: 25 });
    expect(running.counters('101').byStatus['401']).toBeUndefined();

    // The uninstalled account's events are dropped by an explicit call, and only its own.
    expect(await outbox.discard({ account: '202' })).toBe(5);
    expect(outbox.stats('202')).toMatchObject({ pending: 0, delivered: 5 });
    expect(outbox.stats('303').pending).toBe(5);
  });

  it('does not make a small account wait behind another’s backlog of 10,000', {
    timeout: 60_000,
  }, async () => {
    const running = await emulatorWith({
      faults: { latencyMs: 10 },
      accounts: ['101', '202'].map((id) => ({ id, tokens: [{ token: `tok-${id}` }] })),
    });
    const { outbox } = tempOutbox();
    recordFor(outbox, '101', 10_000);
    recordFor(outbox, '202', 10);
    const engine = engineFor(
      running,
      outbox,
      { '101': 'tok-101', '202': 'tok-202' },
      {
        batchSize: 100,
        maxInFlight: 1,
        rateLimit: false,
      },
    );
    engine.start();
    await until(() => outbox.stats('202').delivered === 10, 20_000, 'the small account delivered');
    const bigDelivered = outbox.stats('101').delivered;
    await until(() => outbox.stats('101').delivered === 10_000, 45_000, 'the backlog delivered');

    // 202's one request went out among the first, not after 101's hundred.
    const batches = running.requests().filter((r) => r.path === BATCH_PATH);
    expect(batches.findIndex((r) => r.account === '202')).toBeLessThan(3);
    expect(bigDelivered).toBeLessThan(1000);
  });

  it('shares each account’s budget between two processes on one outbox file: no 429', {
    timeout: 90_000,
  }, async () => {
    const accounts = ['101', '202'];
    const running = await emulatorWith({
      accounts: accounts.map((id) => ({
        id,
        tokens: [{ token: `tok-${id}` }],
        limits: { rateLimit: 8, rateWindowMs: 1500 },
      })),
    });
    const temp = tempOutbox();
    const events = 2 * 24;
    // Two processes, each pacing at the account's own limit: alone, each would spend the whole window.
    const children = [0, 1].map((n) =>
      startDrainChild({
        path: temp.path,
        baseUrl: running.url,
        tokens: { '101': 'tok-101', '202': 'tok-202' },
        owner: `process-${n}`,
        batchSize: 1,
        maxInFlight: 2,
        rateLimit: { requests: 8, windowMs: 1500 },
        untilDelivered: events,
      }),
    );
    cleanups.push(async () => {
      await Promise.all(children.map((child) => child.kill()));
    });
    await Promise.all(children.map((child) => child.ready));
    // Recorded once both run, so that both take part from the first request.
    const ids = accounts.flatMap((account) => recordFor(temp.outbox, account, 24));
    const results = await Promise.all(children.map((child) => child.result));

    for (const account of accounts) expect(running.counters(account).rateLimited, account).toBe(0);
    const stored = storedAccounts(running);
    expect(ids.filter((id) => stored.get(id)?.length !== 1)).toEqual([]);
    expect(temp.outbox.stats()).toMatchObject({ delivered: events, pending: 0, dead: 0 });
    // Both processes sent: the budget was shared, not won by one.
    for (const result of results) expect(result?.delivered).toBeGreaterThan(0);
    expect(results.reduce((sum, result) => sum + (result?.delivered ?? 0), 0)).toBe(events);
  });
});
