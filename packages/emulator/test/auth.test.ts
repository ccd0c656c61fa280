import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { form, postBatch, refreshFields, send, visit } from './support/http.js';

describe('auth', () => {
  it('answers 401 INVALID_AUTHENTICATION without a bearer, with a malformed one, or an unknown token', async () => {
    await using emu = await startEmulator();
    for (const init of [{ bearer: null }, { bearer: 'has spaces inside' }, { bearer: 'nope' }]) {
      const answer = await postBatch(emu.url, [visit('a')], init);
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    }
    const basic = await send(`${emu.url}/integrators/timeline/v3/events/1001234/a`, {
      bearer: null,
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.status).toBe(401);
    expect(emu.events()).toHaveLength(0);
  });

  it('answers 401 EXPIRED_AUTHENTICATION once a token is past its expiry on the injected clock', async () => {
    let now = 1_000_000;
    await using emu = await startEmulator({ clock: () => now, auth: { accessTokenTtlMs: 60_000 } });
    const { accessToken, expiresAt } = emu.issueToken();
    expect(expiresAt).toBe(1_060_000);
    expect((await postBatch(emu.url, [visit('a')], { bearer: accessToken })).status).toBe(201);
    now = 1_067_500;
    const answer = await postBatch(emu.url, [visit('b')], { bearer: accessToken });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({
      category: 'EXPIRED_AUTHENTICATION',
      message: 'The OAuth token used to make this call expired 7 second(s) ago.',
    });
  });

  it('answers 403 MISSING_SCOPES for a token without the timeline scope', async () => {
    await using emu = await startEmulator({
      auth: {
        tokens: [
          { token: 'no-scope', scopes: ['crm.objects.contacts.read'] },
          { token: 'crm-write', scopes: ['crm.objects.contacts.write'] },
        ],
      },
    });
    const answer = await postBatch(emu.url, [visit('a')], { bearer: 'no-scope' });
    expect(answer.status).toBe(403);
    expect(answer.json?.category).toBe('MISSING_SCOPES');
    expect((await postBatch(emu.url, [visit('a')], { bearer: 'crm-write' })).status).toBe(201);
  });

  it('accepts anything when requireAuth is off', async () => {
    await using emu = await startEmulator({ auth: { requireAuth: false } });
    expect((await postBatch(emu.url, [visit('a')], { bearer: null })).status).toBe(201);
    expect(emu.requests()[0]?.auth).toBe('unchecked');
  });

  it('never writes a token into the request log', async () => {
    await using emu = await startEmulator();
    await postBatch(emu.url, [visit('a')]);
    await postBatch(emu.url, [visit('b')], { bearer: 'secret-token-value' });
    expect(JSON.stringify(emu.requests())).not.toMatch(/hubline-emulator-token|secret-token-value/);
  });
});

describe('POST /oauth/v1/token', () => {
  it('exchanges a refresh token for an access token that works until expires_in runs out', async () => {
    let now = 5_000_000;
    await using emu = await startEmulator({ clock: () => now });
    const answer = await send(`${emu.url}/oauth/v1/token`, form(refreshFields));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      token_type: 'bearer',
      refresh_token: 'hubline-emulator-refresh',
      expires_in: 1800,
      token_use: 'access_token',
    });
    const accessToken = answer.json?.access_token as string;
    expect((await postBatch(emu.url, [visit('a')], { bearer: accessToken })).status).toBe(201);
    now += 1_800_000;
    const expired = await postBatch(emu.url, [visit('b')], { bearer: accessToken });
    expect(expired.json?.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('issues tokens that live auth.accessTokenTtlMs: expires_in says so, and they expire then', async () => {
    let now = 5_000_000;
    await using emu = await startEmulator({ clock: () => now, auth: { accessTokenTtlMs: 90_000 } });
    const answer = await send(`${emu.url}/oauth/v1/token`, form(refreshFields));
    expect(answer.json?.expires_in).toBe(90);
    const accessToken = answer.json?.access_token as string;
    now += 89_999;
    expect((await postBatch(emu.url, [visit('a')], { bearer: accessToken })).status).toBe(201);
    now += 1;
    const expired = await postBatch(emu.url, [visit('b')], { bearer: accessToken });
    expect(expired.status).toBe(401);
    expect(expired.json?.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('refuses an unknown refresh token, client or secret, and other grant types, with 400', async () => {
    await using emu = await startEmulator();
    const cases: [Record<string, string>, string][] = [
      [{ ...refreshFields, refresh_token: 'nope' }, 'BAD_REFRESH_TOKEN'],
      [{ ...refreshFields, client_id: 'nope' }, 'BAD_CLIENT_ID'],
      [{ ...refreshFields, client_secret: 'nope' }, 'BAD_CLIENT_SECRET'],
      [{ ...refreshFields, grant_type: 'password' }, 'BAD_GRANT_TYPE'],
    ];
    for (const [fields, category] of cases) {
      const answer = await send(`${emu.url}/oauth/v1/token`, form(fields));
      expect(answer.status).toBe(400);
      expect(answer.json?.category).toBe(category);
    }
  });

  it('issues tokens with the scopes configured for the client', async () => {
    await using emu = await startEmulator({
      auth: { clients: [{ clientId: 'c', clientSecret: 's', refreshTokens: ['r'], scopes: ['oauth'] }] },
    });
    const answer = await send(
      `${emu.url}/oauth/v1/token`,
      form({ grant_type: 'refresh_token', client_id: 'c', client_secret: 's', refresh_token: 'r' }),
    );
    expect(answer.json?.scopes).toEqual(['oauth']);
    const refused = await postBatch(emu.url, [visit('a')], { bearer: answer.json?.access_token as string });
    expect(refused.status).toBe(403);
  });
});
