import { isHublineError } from '@hubline/core';
import { defaultOAuthClient, type RunningEmulator, startEmulator } from '@hubline/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type InstallTokenStore, type InstallTokens, oauthInstalls } from '../../src/auth/oauth-installs.js';
import { createNodeHttpTransport } from '../../src/transport/create-node-http-transport.js';
import { visit } from '../support/integration.js';

const TTL_MS = 600_000;
const SKEW_MS = 60_000;
const emulators: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

/** An emulator with the default OAuth app installed (rotating refresh tokens) in accounts 111 and 222. */
async function installedTwice(clock: () => number): Promise<RunningEmulator> {
  const running = await startEmulator({
    clock,
    auth: { accessTokenTtlMs: TTL_MS },
    accounts: [
      { id: '111', installs: [{ refreshToken: 'rt-111' }] },
      { id: '222', installs: [{ refreshToken: 'rt-222' }] },
    ],
  });
  emulators.push(running);
  return running;
}

/** The app's secret store, in memory: what was saved last per account, and every save. */
function memoryTokenStore(initial: Record<string, InstallTokens>) {
  const saved = new Map<string, InstallTokens>(Object.entries(initial));
  const saves: { account: string; tokens: InstallTokens }[] = [];
  const store: InstallTokenStore = {
    load: (account) => saved.get(account),
    save(account, tokens) {
      saved.set(account, tokens);
      saves.push({ account, tokens });
    },
  };
  return { store, saved, saves };
}

function installs(running: RunningEmulator, store: InstallTokenStore, clock: () => number) {
  return oauthInstalls({
    clientId: defaultOAuthClient.clientId,
    clientSecret: defaultOAuthClient.clientSecret,
    store,
    baseUrl: running.url,
    clock,
    refreshSkewMs: SKEW_MS,
  });
}

/** Token requests the emulator answered so far. */
const refreshes = (running: RunningEmulator): number =>
  running.requests().filter((entry) => entry.path === '/oauth/v1/token').length;

/** Send one event with `token` and say where the emulator stored it. */
async function deliverWith(running: RunningEmulator, token: string, id: string): Promise<string | undefined> {
  const answer = await createNodeHttpTransport()({
    baseUrl: running.url,
    path: '/integrators/timeline/v3/events/batch/create',
    method: 'POST',
    body: JSON.stringify({ inputs: [{ ...visit(1), id }] }),
    accessToken: token,
    timeoutMs: 5000,
  });
  expect(answer).toMatchObject({ kind: 'response', status: 201 });
  return running.events().find((event) => event.id === id)?.account;
}

describe('oauthInstalls against the emulator’s installs', () => {
  it('refreshes each install on its own clock and saves every rotated refresh token', async () => {
    let now = Date.parse('2026-12-07T12:00:00.000Z');
    const clock = () => now;
    const running = await installedTwice(clock);
    const tokens = memoryTokenStore({ '111': { refreshToken: 'rt-111' }, '222': { refreshToken: 'rt-222' } });
    const providers = installs(running, tokens.store, clock);

    const first111 = await providers('111').getToken();
    now += TTL_MS / 2;
    const first222 = await providers('222').getToken();
    expect(refreshes(running)).toBe(2);
    // Each token is its own account's: the emulator stores the event there.
    expect(await deliverWith(running, first111, 'from-111')).toBe('111');
    expect(await deliverWith(running, first222, 'from-222')).toBe('222');
    // HubSpot rotated both refresh tokens; the new ones, and the access tokens, are in the app's store.
    const rotated111 = tokens.saved.get('111')?.refreshToken;
    const rotated222 = tokens.saved.get('222')?.refreshToken;
    expect(rotated111).toMatch(/^emu-rt-/);
    expect(rotated222).toMatch(/^emu-rt-/);
    expect(tokens.saved.get('111')).toMatchObject({ accessToken: first111, expiresAt: expect.any(Number) });
    expect(tokens.saved.get('222')).toMatchObject({ accessToken: first222 });

    // 111's token comes within the skew of its expiry; 222's is half a lifetime younger and stays.
    now += TTL_MS / 2 - SKEW_MS + 1;
    const second111 = await providers('111').getToken();
    const second222 = await providers('222').getToken();
    expect(second111).not.toBe(first111);
    expect(second222).toBe(first222);
    expect(refreshes(running)).toBe(3);
    // The refresh used the rotated token and rotated it again.
    expect(tokens.saved.get('111')?.refreshToken).not.toBe(rotated111);
    expect(tokens.saved.get('222')?.refreshToken).toBe(rotated222);
    expect(await deliverWith(running, second111, 'again-111')).toBe('111');
    // Nothing secret was saved for an account other than its own.
    expect(new Set(tokens.saves.map((save) => save.account))).toEqual(new Set(['111', '222']));
  });

  it('starts again from the saved tokens after a restart: no refresh while the access token lasts, then the rotated refresh token works', async () => {
    let now = Date.parse('2026-12-07T12:00:00.000Z');
    const clock = () => now;
    const running = await installedTwice(clock);
    const tokens = memoryTokenStore({ '111': { refreshToken: 'rt-111' } });
    const before = await installs(running, tokens.store, clock)('111').getToken();
    expect(refreshes(running)).toBe(1);

    // A new process: same store, new providers.
    const restarted = installs(running, tokens.store, clock);
    expect(await restarted('111').getToken()).toBe(before);
    expect(refreshes(running)).toBe(1);
    now += TTL_MS;
    const after = await restarted('111').getToken();
    expect(after).not.toBe(before);
    expect(refreshes(running)).toBe(2);
    expect(await deliverWith(running, after, 'after-restart')).toBe('111');
    // The install's first refresh token was retired once its successor was used.
    const stale = await oauthInstalls({
      clientId: defaultOAuthClient.clientId,
      clientSecret: defaultOAuthClient.clientSecret,
      store: memoryTokenStore({ '111': { refreshToken: 'rt-111' } }).store,
      baseUrl: running.url,
      clock,
    })('111')
      .getToken()
      .catch((error: unknown) => error);
    expect(isHublineError(stale) && stale.code).toBe('UNAUTHORIZED');
  });

  it('refuses a revoked install with UNAUTHORIZED while the other install keeps refreshing, and never puts a secret in the error', async () => {
    let now = Date.parse('2026-12-07T12:00:00.000Z');
    const clock = () => now;
    const running = await installedTwice(clock);
    const tokens = memoryTokenStore({ '111': { refreshToken: 'rt-111' }, '222': { refreshToken: 'rt-222' } });
    const providers = installs(running, tokens.store, clock);
    await providers('111').getToken();
    await providers('222').getToken();

    expect(running.revokeInstalls('222')).toBe(1);
    now += TTL_MS;
    const refused = await providers('222')
      .getToken()
      .catch((error: unknown) => error);
    expect(isHublineError(refused) && refused.code).toBe('UNAUTHORIZED');
    const words = JSON.stringify({
      message: (refused as Error).message,
      cause: String((refused as Error).cause),
    });
    for (const secret of [defaultOAuthClient.clientSecret, 'rt-222', tokens.saved.get('222')?.refreshToken]) {
      expect(words).not.toContain(secret);
    }
    const fresh111 = await providers('111').getToken();
    expect(await deliverWith(running, fresh111, 'still-111')).toBe('111');
    // An account the app was never installed in is refused the same way, without a request.
    const before = refreshes(running);
    const stranger = await providers('333')
      .getToken()
      .catch((error: unknown) => error);
    expect(isHublineError(stranger) && stranger.code).toBe('UNAUTHORIZED');
    expect(refreshes(running)).toBe(before);
  });
});
