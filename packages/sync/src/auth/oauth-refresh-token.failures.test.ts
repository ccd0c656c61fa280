import { isHublineError } from '@hubline/core';
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

/** Every form a secret could be echoed in: raw, URL-encoded, form-encoded, lower-case percent escapes. */
function encodedForms(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
  return [secret, url, form, lower(url), lower(form)];
}

describe('oauthRefreshToken when the token endpoint fails', () => {
  it('rejects TOKEN_ENDPOINT_UNREACHABLE for a closed port, replays it for 1 s, then tries again', async () => {
    const server = await startTokenServer();
    await server.close();
    const { tokens, advance } = provider(server);

    const first = await rejection(tokens.getToken());
    advance(999);
    const replayed = await rejection(tokens.getToken());
    advance(1);
    const retried = await rejection(tokens.getToken());

    expect(isHublineError(first, 'TOKEN_ENDPOINT_UNREACHABLE')).toBe(true);
    expect(first.message).toContain('ECONNREFUSED');
    // The same error, without a new request, inside the backoff; a fresh attempt after it.
    expect(replayed).toBe(first);
    expect(retried).not.toBe(first);
    expect(isHublineError(retried, 'TOKEN_ENDPOINT_UNREACHABLE')).toBe(true);
  });

  it('rejects TOKEN_ENDPOINT_UNREACHABLE when no answer comes within timeoutMs', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-late'));
    server.hold();
    const { tokens } = provider(server, { timeoutMs: 50 });

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'TOKEN_ENDPOINT_UNREACHABLE')).toBe(true);
    expect(error.message).toContain('no answer within 50 ms');
  });

  it('rejects TOKEN_ENDPOINT_FAILED on a 5xx and backs off, doubling, without hammering the endpoint', async () => {
    const server = await startTokenServer();
    const unavailable = { status: 503, body: { status: 'error', category: 'SERVICE_UNAVAILABLE' } };
    server.reply(unavailable, unavailable, unavailable, granted('access-1'));
    const { tokens, advance } = provider(server);

    const first = await rejection(tokens.getToken());
    await rejection(tokens.getToken());
    expect(server.forms).toHaveLength(1);
    advance(1_000);
    await rejection(tokens.getToken());
    expect(server.forms).toHaveLength(2);
    advance(1_999);
    await rejection(tokens.getToken());
    expect(server.forms).toHaveLength(2);
    advance(1);
    await rejection(tokens.getToken());
    advance(4_000);

    await expect(tokens.getToken()).resolves.toBe('access-1');
    expect(server.forms).toHaveLength(4);
    expect(isHublineError(first, 'TOKEN_ENDPOINT_FAILED')).toBe(true);
    expect(first.status).toBe(503);
    expect(first.category).toBe('SERVICE_UNAVAILABLE');
  });

  it('honours a 429 Retry-After before asking again', async () => {
    const server = await startTokenServer();
    server.reply(
      { status: 429, body: { status: 'error' }, headers: { 'retry-after': '30' } },
      granted('access-1'),
    );
    const { tokens, advance } = provider(server);

    const error = await rejection(tokens.getToken());
    advance(29_999);
    await rejection(tokens.getToken());
    advance(1);

    await expect(tokens.getToken()).resolves.toBe('access-1');
    expect(isHublineError(error, 'TOKEN_ENDPOINT_FAILED')).toBe(true);
    expect(server.forms).toHaveLength(2);
  });

  it('makes one request for many concurrent callers of a failing endpoint, and all see its error', async () => {
    const server = await startTokenServer();
    server.reply({ status: 502, text: '<html>Bad Gateway</html>' });
    server.hold();
    const { tokens } = provider(server);

    const waiting = Array.from({ length: 5 }, () => rejection(tokens.getToken()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.release();
    const errors = await Promise.all(waiting);

    expect(new Set(errors).size).toBe(1);
    expect(isHublineError(errors[0], 'TOKEN_ENDPOINT_FAILED')).toBe(true);
    expect(server.forms).toHaveLength(1);
  });

  it.each([
    [
      'an HTML 200 from a captive portal',
      { status: 200, text: '<html><body>Sign in to Wi-Fi</body></html>' },
    ],
    ['a JSON 200 that is not a token', { status: 200, body: { results: [] } }],
    [
      'a 200 with expires_in that is not positive',
      { status: 200, body: { access_token: 'a', expires_in: 0 } },
    ],
    ['a 400 page from a proxy, not JSON', { status: 400, text: 'Bad Request' }],
    [
      'a 200 of 200 KiB',
      { status: 200, text: `{"access_token":"${'a'.repeat(200 * 1024)}","expires_in":1800}` },
    ],
  ])('rejects TOKEN_ENDPOINT_FAILED for %s', async (_title, reply) => {
    const server = await startTokenServer();
    server.reply(reply);
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'TOKEN_ENDPOINT_FAILED')).toBe(true);
    expect(error.status).toBe(reply.status);
  });

  it('does not follow a redirect, which would post the client secret elsewhere', async () => {
    const elsewhere = await startTokenServer();
    elsewhere.reply(granted('access-elsewhere'));
    const server = await startTokenServer();
    server.reply({ status: 307, text: '', headers: { location: `${elsewhere.baseUrl}/oauth/v1/token` } });
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'TOKEN_ENDPOINT_FAILED')).toBe(true);
    expect(error.status).toBe(307);
    expect(elsewhere.forms).toHaveLength(0);
  });

  it('rejects UNAUTHORIZED with the OAuth error and its description for a 400 invalid_grant', async () => {
    const server = await startTokenServer();
    server.reply({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'refresh token revoked by the user' },
    });
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'UNAUTHORIZED')).toBe(true);
    expect(error.status).toBe(400);
    expect(error.category).toBe('invalid_grant');
    expect(error.message).toContain('refresh token revoked by the user');
  });

  it('ends a backoff when the clock steps back instead of stretching it', async () => {
    const server = await startTokenServer();
    server.reply({ status: 500, body: {} }, granted('access-1'));
    const { tokens, advance } = provider(server);

    await rejection(tokens.getToken());
    advance(-3_600_000);

    await expect(tokens.getToken()).resolves.toBe('access-1');
  });
});

describe('oauthRefreshToken and secrets in encoded forms', () => {
  const secret = 'se+cr/et=1&2%3 x';
  const refreshToken = 'rt+/=&% 9z';

  it('never puts the client secret or the refresh token in a message or category, raw or encoded', async () => {
    const server = await startTokenServer();
    // A hostile or careless endpoint quoting the form it received: form-encoded, URL-encoded and raw.
    server.reply((rawForm) => ({
      status: 400,
      body: {
        status: `BAD ${rawForm}`,
        message: `got ${rawForm} ${decodeURIComponent(rawForm)} ${encodeURIComponent(secret)} ${encodeURIComponent(refreshToken)}`,
      },
    }));
    const { tokens } = provider(server, { clientSecret: secret, refreshToken });

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'UNAUTHORIZED')).toBe(true);
    expect(error.message).toContain('[redacted]');
    for (const form of [...encodedForms(secret), ...encodedForms(refreshToken)]) {
      expect(error.message).not.toContain(form);
      expect(error.category).not.toContain(form);
    }
  });

  it('never puts an issued access token in a later message, raw or encoded', async () => {
    const server = await startTokenServer();
    const access = 'acc+ess/to=ken&1% 2';
    server.reply(granted(access), {
      status: 503,
      body: { status: 'error', message: `${encodeURIComponent(access)} ${access}` },
    });
    const { tokens } = provider(server);
    tokens.invalidate(await tokens.getToken());

    const error = await rejection(tokens.getToken());

    for (const form of encodedForms(access)) expect(error.message).not.toContain(form);
  });
});

describe('oauthRefreshToken and its baseUrl', () => {
  it('refreshes at the engine’s baseUrl from the context when given none of its own', async () => {
    const server = await startTokenServer();
    server.reply(granted('access-from-context'));
    const { tokens } = provider(server, { baseUrl: undefined });

    await expect(tokens.getToken({ baseUrl: `${server.baseUrl}/` })).resolves.toBe('access-from-context');
    expect(server.paths).toEqual(['POST /oauth/v1/token']);
  });

  it('refreshes at its own baseUrl when it has one, whatever the context says', async () => {
    const own = await startTokenServer();
    own.reply(granted('access-own'));
    const engines = await startTokenServer();
    engines.reply(granted('access-engine'));
    const { tokens } = provider(own);

    await expect(tokens.getToken({ baseUrl: engines.baseUrl })).resolves.toBe('access-own');
    expect(engines.forms).toHaveLength(0);
  });

  it('refreshes at HubSpot when neither it nor the caller names a base URL', async () => {
    const urls: string[] = [];
    const recordingFetch: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ access_token: 'access-1', expires_in: 1800 }), { status: 200 });
    };
    const tokens = oauthRefreshToken({
      clientId: 'client-id-1',
      clientSecret: CLIENT_SECRET,
      refreshToken: REFRESH_TOKEN,
      fetch: recordingFetch,
    });

    await tokens.getToken();

    expect(urls).toEqual(['https://api.hubapi.com/oauth/v1/token']);
  });

  it.each([
    ['user info', 'https://app:pw-9f8e@api.example.com'],
    ['a query string', 'https://api.example.com?hapikey=pw-9f8e'],
    ['a fragment', 'https://api.example.com/#pw-9f8e'],
    ['another scheme', 'ftp://api.example.com'],
  ])('refuses a baseUrl with %s, naming the field and not quoting it', (_title, baseUrl) => {
    let thrown: unknown;
    try {
      oauthRefreshToken({ clientId: 'c', clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, baseUrl });
    } catch (error) {
      thrown = error;
    }

    expect(isHublineError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as Error).message).toContain('baseUrl');
    expect((thrown as Error).message).not.toContain('pw-9f8e');
  });

  it('rejects a context baseUrl that carries a credential, without a request', async () => {
    const server = await startTokenServer();
    const { tokens } = provider(server, { baseUrl: undefined });
    const withUser = server.baseUrl.replace('http://', 'http://app:pw-9f8e@');

    const error = await rejection(tokens.getToken({ baseUrl: withUser }));

    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(error.message).not.toContain('pw-9f8e');
    expect(server.forms).toHaveLength(0);
  });
});
