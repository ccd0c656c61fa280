import { DeliveryError, isHublineError } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_SECRET,
  granted,
  provider,
  REFRESH_TOKEN,
  rejection,
  startTokenServer,
} from '../../test/support/token-server.js';
import { oauthRefreshToken } from './oauth-refresh-token.js';

describe('oauthRefreshToken', () => {
  it('exchanges the refresh token with a form-encoded POST to /oauth/v1/token', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-1'));
    const { tokens } = provider(server);

    await expect(tokens.getToken()).resolves.toBe('access-1');

    expect(server.paths).toEqual(['POST /oauth/v1/token']);
    expect(server.contentTypes[0]).toBe('application/x-www-form-urlencoded');
    expect(server.forms[0]).toEqual({
      grant_type: 'refresh_token',
      client_id: 'client-id-1',
      client_secret: CLIENT_SECRET,
      refresh_token: REFRESH_TOKEN,
    });
  });

  it('reuses the access token until expires_in minus the skew, then refreshes', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-1', 1800), granted('access-2', 1800));
    const { tokens, advance } = provider(server, { refreshSkewMs: 60_000 });

    await tokens.getToken();
    advance(1_800_000 - 60_001);
    await expect(tokens.getToken()).resolves.toBe('access-1');
    expect(server.forms).toHaveLength(1);

    advance(1);
    await expect(tokens.getToken()).resolves.toBe('access-2');
    expect(server.forms).toHaveLength(2);
  });

  it('keeps a short-lived token for at least half its life whatever the skew', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-1', 30), granted('access-2', 30));
    const { tokens, advance } = provider(server, { refreshSkewMs: 60_000 });

    await tokens.getToken();
    advance(14_999);

    await expect(tokens.getToken()).resolves.toBe('access-1');
    expect(server.forms).toHaveLength(1);
  });

  it('makes one refresh for many concurrent callers', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-1'));
    server.hold();
    const { tokens } = provider(server);

    const waiting = Array.from({ length: 5 }, () => tokens.getToken());
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.release();

    await expect(Promise.all(waiting)).resolves.toEqual(Array(5).fill('access-1'));
    expect(server.forms).toHaveLength(1);
  });

  it('refreshes after the current token is invalidated, but not for a stale one', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-1'), granted('access-2'), granted('access-3'));
    const { tokens } = provider(server);

    const first = await tokens.getToken();
    tokens.invalidate(first);
    await expect(tokens.getToken()).resolves.toBe('access-2');

    tokens.invalidate(first);
    await expect(tokens.getToken()).resolves.toBe('access-2');
    expect(server.forms).toHaveLength(2);
  });

  it('uses and reports a rotated refresh token', async () => {
    const server = await startTokenServer();
    server.reply(
      granted('access-1', 1800, 'refresh-rotated-1'),
      granted('access-2', 1800, 'refresh-rotated-1'),
    );
    const rotated: string[] = [];
    const { tokens } = provider(server, { onRefreshToken: (next) => rotated.push(next) });

    await tokens.getToken();
    tokens.invalidate('access-1');
    await tokens.getToken();

    expect(server.forms.map((form) => form.refresh_token)).toEqual([REFRESH_TOKEN, 'refresh-rotated-1']);
    expect(rotated).toEqual(['refresh-rotated-1']);
  });

  it('fails as UNAUTHORIZED with HubSpot words and no secret, and tries again after a short backoff', async () => {
    const server = await startTokenServer();
    server.reply(
      {
        status: 400,
        body: {
          status: 'BAD_REFRESH_TOKEN',
          message: `missing or unknown refresh token ${REFRESH_TOKEN} for secret ${CLIENT_SECRET}`,
          correlationId: 'c0ffee',
        },
      },
      granted('access-after-fix'),
    );
    const { tokens, advance } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(error).toBeInstanceOf(DeliveryError);
    expect(isHublineError(error, 'UNAUTHORIZED')).toBe(true);
    expect(error.status).toBe(400);
    expect(error.category).toBe('BAD_REFRESH_TOKEN');
    expect(error.message).toContain('missing or unknown refresh token');
    expect(error.message).not.toContain(REFRESH_TOKEN);
    expect(error.message).not.toContain(CLIENT_SECRET);
    advance(1_000);
    await expect(tokens.getToken()).resolves.toBe('access-after-fix');
  });

  it('never leaks an issued access token or a rotated refresh token in a later error', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-leaky', 1800, 'refresh-rotated-9'), {
      status: 401,
      body: {
        status: 'error',
        category: 'INVALID_AUTHENTICATION',
        message: 'access-leaky refresh-rotated-9 bad',
      },
    });
    const { tokens } = provider(server);
    tokens.invalidate(await tokens.getToken());

    const error = await rejection(tokens.getToken());

    expect(error.category).toBe('INVALID_AUTHENTICATION');
    expect(error.message).not.toContain('access-leaky');
    expect(error.message).not.toContain('refresh-rotated-9');
  });

  it('fails as TOKEN_ENDPOINT_FAILED (back off), not UNAUTHORIZED, when a 200 answer has no access token', async () => {
    const server = await startTokenServer();
    server.reply({ status: 200, body: { token_type: 'bearer' } });
    const { tokens } = provider(server);

    expect(isHublineError(await rejection(tokens.getToken()), 'TOKEN_ENDPOINT_FAILED')).toBe(true);
  });

  it('fails as TOKEN_ENDPOINT_UNREACHABLE without status when the token endpoint cannot be reached', async () => {
    const server = await startTokenServer();
    await server.close();
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'TOKEN_ENDPOINT_UNREACHABLE')).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it('refuses missing credentials up front, naming each field', () => {
    let thrown: unknown;
    try {
      oauthRefreshToken({ clientId: 'client-id-1', clientSecret: '', refreshToken: '' });
    } catch (error) {
      thrown = error;
    }

    expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as Error).message).toContain('clientSecret');
    expect((thrown as Error).message).toContain('refreshToken');
    expect((thrown as Error).message).not.toContain('clientId');
  });
});
