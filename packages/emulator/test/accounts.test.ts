import { describe, expect, it } from 'vitest';
import { defaultAccountId, startEmulator } from '../src/index.js';
import { type Answer, form, listOf, postBatch, refreshFields, send, visit } from './support/http.js';

const client = { clientId: 'app', clientSecret: 'app-secret', refreshTokens: [] };
const grant = (fields: Record<string, string>) => ({
  client_id: 'app',
  client_secret: 'app-secret',
  ...fields,
});
const readBack = (base: string, id: string, bearer: string) =>
  send(`${base}/integrators/timeline/v3/events/1001234/${id}`, { bearer });
const budget = (answer: Answer) => [
  answer.status,
  answer.headers.get('x-hubspot-ratelimit-max'),
  answer.headers.get('x-hubspot-ratelimit-remaining'),
];

describe('accounts', () => {
  it('stores each event in the account of its token: the same id in two accounts is two events', async () => {
    await using emu = await startEmulator({
      accounts: [
        { id: '111', tokens: [{ token: 'a-token' }] },
        { id: '222', tokens: [{ token: 'b-token' }] },
      ],
    });
    expect((await postBatch(emu.url, [visit('x'), visit('y')], { bearer: 'a-token' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('x')], { bearer: 'b-token' })).status).toBe(201);
    expect(emu.events().map((e) => [e.account, e.id])).toEqual([
      ['111', 'x'],
      ['111', 'y'],
      ['222', 'x'],
    ]);
    expect(emu.events({ account: '222' }).map((e) => e.id)).toEqual(['x']);
    // A read-back sees its own account only.
    expect((await readBack(emu.url, 'y', 'a-token')).status).toBe(200);
    const elsewhere = await readBack(emu.url, 'y', 'b-token');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
    // A re-sent id conflicts in its own account only.
    expect((await postBatch(emu.url, [visit('y')], { bearer: 'b-token' })).status).toBe(201);
    expect((await postBatch(emu.url, [visit('y')], { bearer: 'a-token' })).status).toBe(207);
  });

  it('keeps today’s single-account use on a default account', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    expect(emu.events()[0]?.account).toBe(defaultAccountId);
    expect(emu.requests()[0]?.account).toBe(defaultAccountId);
    expect(emu.accounts().map((a) => a.id)).toEqual([defaultAccountId]);
    expect(emu.counters(defaultAccountId)).toMatchObject({ requests: 1, eventsStored: 1 });
  });

  it('gives every account its own budget, 100 requests / 10 s by default or its own, with its own headers', async () => {
    let now = 0;
    await using emu = await startEmulator({
      clock: () => now,
      accounts: [
        {
          id: '111',
          tokens: [{ token: 'a1' }, { token: 'a2' }],
          limits: { rateLimit: 3, rateWindowMs: 2000 },
        },
        { id: '222', tokens: [{ token: 'b1' }] },
      ],
    });
    // Two tokens of one account share its budget.
    expect(budget(await postBatch(emu.url, [visit('1')], { bearer: 'a1' }))).toEqual([201, '3', '2']);
    expect(budget(await postBatch(emu.url, [visit('2')], { bearer: 'a2' }))).toEqual([201, '3', '1']);
    expect(budget(await postBatch(emu.url, [visit('3')], { bearer: 'a1' }))).toEqual([201, '3', '0']);
    const limited = await postBatch(emu.url, [visit('4')], { bearer: 'a2' });
    expect(budget(limited)).toEqual([429, '3', '0']);
    expect(limited.json).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('2000');
    // The other account is untouched, on the default limits.
    const other = await postBatch(emu.url, [visit('4')], { bearer: 'b1' });
    expect(budget(other)).toEqual([201, '100', '99']);
    expect(other.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    now = 2000;
    expect(budget(await postBatch(emu.url, [visit('4')], { bearer: 'a1' }))).toEqual([201, '3', '2']);
    // Limits change at run time, per account.
    emu.setAccountLimits('222', { rateLimit: 1 });
    expect(budget(await postBatch(emu.url, [visit('5')], { bearer: 'b1' }))).toEqual([429, '1', '0']);
    expect(emu.counters('111')).toMatchObject({ requests: 5, rateLimited: 1, eventsStored: 4 });
    expect(emu.counters('222')).toMatchObject({ requests: 2, rateLimited: 1, eventsStored: 1 });
    expect(emu.account('111')).toMatchObject({
      limits: { rateLimit: 3, rateWindowMs: 2000 },
      budget: { remaining: 2 },
    });
  });

  it('applies a daily cap per account with HubSpot’s DAILY 429 and daily headers', async () => {
    let now = Date.parse('2026-11-29T10:00:00.000Z');
    await using emu = await startEmulator({
      clock: () => now,
      accounts: [
        { id: '111', tokens: [{ token: 'a' }], limits: { dailyLimit: 2 } },
        { id: '222', tokens: [{ token: 'b' }] },
      ],
    });
    const first = await postBatch(emu.url, [visit('1')], { bearer: 'a' });
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
    await postBatch(emu.url, [visit('2')], { bearer: 'a' });
    now += 60_000;
    const capped = await postBatch(emu.url, [visit('3')], { bearer: 'a' });
    expect(capped.status).toBe(429);
    expect(capped.json).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    expect(capped.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    const other = await postBatch(emu.url, [visit('3')], { bearer: 'b' });
    expect(other.status).toBe(201);
    expect(other.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
    now = Date.parse('2026-11-30T00:00:00.000Z');
    expect((await postBatch(emu.url, [visit('3')], { bearer: 'a' })).status).toBe(201);
  });

  it('refuses a bad account id or limit, naming the field', async () => {
    await expect(startEmulator({ accounts: [{ id: 'acme' }] })).rejects.toThrow(/accounts\[0\]\.id/);
    await expect(startEmulator({ accounts: [{ id: '1', limits: { rateLimit: 0 } }] })).rejects.toThrow(
      /accounts\[0\]\.limits\.rateLimit/,
    );
    await using emu = await startEmulator();
    expect(() => emu.issueToken({ account: '12x' })).toThrow(/account/);
  });
});

describe('OAuth installs per account', () => {
  it('installs with an authorization code, then refreshes with rotating refresh tokens', async () => {
    const now = 1_000_000;
    await using emu = await startEmulator({ clock: () => now, auth: { clients: [client] } });
    const { code } = emu.authorize('333', { redirectUri: 'https://app.example/cb' });
    const wrongRedirect = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb' })),
    );
    expect([wrongRedirect.status, wrongRedirect.json?.category]).toEqual([400, 'BAD_AUTH_CODE']);
    const noRedirect = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'authorization_code', code })),
    );
    expect(noRedirect.json?.category).toBe('BAD_AUTH_CODE');

    const { code: fresh } = emu.authorize('333', { redirectUri: 'https://app.example/cb' });
    const exchange = {
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: 'https://app.example/cb',
    };
    const installed = await send(`${emu.url}/oauth/v1/token`, form(grant(exchange)));
    expect(installed.status).toBe(200);
    expect(installed.json).toMatchObject({ hub_id: 333, token_type: 'bearer', expires_in: 1800 });
    // A code is used once.
    expect((await send(`${emu.url}/oauth/v1/token`, form(grant(exchange)))).json?.category).toBe(
      'BAD_AUTH_CODE',
    );

    const access = installed.json?.access_token as string;
    expect((await postBatch(emu.url, [visit('a')], { bearer: access })).status).toBe(201);
    expect(emu.events({ account: '333' }).map((e) => e.id)).toEqual(['a']);

    const r1 = installed.json?.refresh_token as string;
    const refreshed = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'refresh_token', refresh_token: r1 })),
    );
    const r2 = refreshed.json?.refresh_token as string;
    expect(r2).not.toBe(r1);
    // The answer handing out r2 may have been lost: r1 still works until r2 is used …
    const again = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'refresh_token', refresh_token: r1 })),
    );
    const r3 = again.json?.refresh_token as string;
    expect(again.status).toBe(200);
    // … which leaves r2 unused and discarded, and r1 retired once r3 is used.
    expect(
      (
        await send(
          `${emu.url}/oauth/v1/token`,
          form(grant({ grant_type: 'refresh_token', refresh_token: r2 })),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await send(
          `${emu.url}/oauth/v1/token`,
          form(grant({ grant_type: 'refresh_token', refresh_token: r3 })),
        )
      ).status,
    ).toBe(200);
    const retired = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'refresh_token', refresh_token: r1 })),
    );
    expect([retired.status, retired.json?.category]).toEqual([400, 'BAD_REFRESH_TOKEN']);
  });

  it('keeps the default client’s configured refresh token as it is (no rotation), in the default account', async () => {
    await using emu = await startEmulator();
    for (let i = 0; i < 2; i += 1) {
      const answer = await send(`${emu.url}/oauth/v1/token`, form(refreshFields));
      expect(answer.json).toMatchObject({
        refresh_token: 'hubline-emulator-refresh',
        hub_id: Number(defaultAccountId),
      });
    }
  });

  it('refuses refresh once the app is uninstalled, and answers the install’s access tokens 401', async () => {
    await using emu = await startEmulator({
      auth: { clients: [client] },
      accounts: [
        { id: '444', tokens: [{ token: 'static-444' }], installs: [{ refreshToken: 'rt-444' }] },
        { id: '555', installs: [{ refreshToken: 'rt-555', rotate: false }] },
      ],
    });
    const refresh = (token: string) =>
      send(`${emu.url}/oauth/v1/token`, form(grant({ grant_type: 'refresh_token', refresh_token: token })));
    const first = await refresh('rt-444');
    const access = first.json?.access_token as string;
    expect(emu.account('444')?.installs).toEqual({ active: 1, revoked: 0 });
    expect(emu.revokeInstalls('444')).toBe(1);
    const refused = await refresh(first.json?.refresh_token as string);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 'BAD_REFRESH_TOKEN', category: 'BAD_REFRESH_TOKEN' });
    const denied = await postBatch(emu.url, [visit('a')], { bearer: access });
    expect([denied.status, denied.json?.category]).toEqual([401, 'INVALID_AUTHENTICATION']);
    // Static tokens are not installs; the other account's install is untouched.
    expect((await postBatch(emu.url, [visit('a')], { bearer: 'static-444' })).status).toBe(201);
    expect(emu.account('444')?.installs).toEqual({ active: 0, revoked: 1 });
    expect((await refresh('rt-555')).json?.refresh_token).toBe('rt-555');
  });

  it('serves token metadata and deletes a refresh token (revoking its install), logging no token', async () => {
    await using emu = await startEmulator({
      auth: { clients: [client] },
      accounts: [{ id: '666', installs: [{ refreshToken: 'rt-666' }] }],
    });
    const tokens = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'refresh_token', refresh_token: 'rt-666' })),
    );
    const access = tokens.json?.access_token as string;
    const refresh = tokens.json?.refresh_token as string;
    const info = await send(`${emu.url}/oauth/v1/access-tokens/${access}`, { bearer: null });
    expect(info.json).toMatchObject({ token: access, hub_id: 666, scopes: ['timeline'], app_id: emu.appId });
    const refreshInfo = await send(`${emu.url}/oauth/v1/refresh-tokens/${refresh}`, { bearer: null });
    expect(refreshInfo.json).toMatchObject({ token: refresh, hub_id: 666, client_id: 'app' });
    const deleted = await send(`${emu.url}/oauth/v1/refresh-tokens/${refresh}`, {
      method: 'DELETE',
      bearer: null,
    });
    expect(deleted.status).toBe(204);
    expect(
      (await send(`${emu.url}/oauth/v1/refresh-tokens/${refresh}`, { method: 'DELETE', bearer: null }))
        .status,
    ).toBe(404);
    expect((await postBatch(emu.url, [visit('a')], { bearer: access })).status).toBe(401);
    expect((await send(`${emu.url}/oauth/v1/access-tokens/${access}`, { bearer: null })).status).toBe(404);
    const logged = JSON.stringify(emu.requests());
    expect(logged).not.toContain(access);
    expect(logged).not.toContain(refresh);
    expect(emu.requests()[1]?.path).toBe('/oauth/v1/access-tokens/{token}');
  });
});

describe('account control routes', () => {
  it('list accounts, set their limits, install and uninstall, and filter events and counters by account', async () => {
    await using emu = await startEmulator({ auth: { clients: [client] }, accounts: [{ id: '777' }] });
    const issued = await send(`${emu.url}/__emulator/tokens`, { body: { account: '777' } });
    const bearer = issued.json?.accessToken as string;
    await postBatch(emu.url, [visit('a')], { bearer });
    await postBatch(emu.url, [visit('b')]);
    const accounts = await send(`${emu.controlUrl}/__emulator/accounts`);
    expect(listOf<{ id: string }>(accounts, 'accounts').map((a) => a.id)).toEqual([defaultAccountId, '777']);
    const one = await send(`${emu.controlUrl}/__emulator/accounts/777`);
    expect(one.json).toMatchObject({
      id: '777',
      limits: { rateLimit: 100 },
      budget: { remaining: 99 },
      counters: { eventsStored: 1 },
    });
    expect((await send(`${emu.controlUrl}/__emulator/accounts/888`)).status).toBe(404);
    const limited = await send(`${emu.controlUrl}/__emulator/accounts/777/limits`, {
      body: { rateLimit: 5, dailyLimit: 50 },
    });
    expect(limited.json).toMatchObject({ limits: { rateLimit: 5, dailyLimit: 50 } });
    const bad = await send(`${emu.controlUrl}/__emulator/accounts/777/limits`, { body: { rateLimit: -1 } });
    expect([bad.status, bad.json?.message]).toEqual([400, expect.stringMatching(/rateLimit/)]);
    const events = await send(`${emu.controlUrl}/__emulator/events?account=777`);
    expect(events.json).toMatchObject({ total: 1, events: [{ id: 'a', account: '777' }] });
    const counters = await send(`${emu.controlUrl}/__emulator/counters?account=777`);
    expect(counters.json).toMatchObject({ requests: 1, eventsStored: 1 });
    const code = await send(`${emu.controlUrl}/__emulator/accounts/777/authorize`, { body: {} });
    expect(code.status).toBe(201);
    const installed = await send(
      `${emu.url}/oauth/v1/token`,
      form(grant({ grant_type: 'authorization_code', code: code.json?.code as string })),
    );
    expect(installed.json?.hub_id).toBe(777);
    const revoked = await send(`${emu.controlUrl}/__emulator/accounts/777/revoke`, { method: 'POST' });
    expect(revoked.json).toEqual({ revoked: 1 });
  });
});
