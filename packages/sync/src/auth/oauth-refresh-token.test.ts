import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryError, isHublineError } from '@hubline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type OAuthRefreshTokenOptions, oauthRefreshToken } from './oauth-refresh-token.js';

const CLIENT_SECRET = 'client-secret-5f1e9a';
const REFRESH_TOKEN = 'refresh-token-0a7c33';

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

interface TokenServer {
  readonly baseUrl: string;
  /** Every form the server received, parsed. */
  readonly forms: Array<Record<string, string>>;
  readonly contentTypes: string[];
  readonly paths: string[];
  /** Replies used in order; the last one repeats. */
  reply(...replies: Reply[]): void;
  /** Hold answers until `release()` (to see concurrent callers share one refresh). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function startTokenServer(): Promise<TokenServer> {
  let replies: Reply[] = [];
  let held: Array<() => void> | undefined;
  const forms: Array<Record<string, string>> = [];
  const contentTypes: string[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      forms.push(Object.fromEntries(new URLSearchParams(raw)));
      contentTypes.push(req.headers['content-type'] ?? '');
      paths.push(`${req.method} ${req.url}`);
      const reply = (replies.length > 1 ? replies.shift() : replies[0]) ?? { status: 500, body: {} };
      const answer = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      };
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    forms,
    contentTypes,
    paths,
    reply: (...next) => {
      replies = next;
    },
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    close,
  };
}

function granted(accessToken: string, expiresIn = 1800, refreshToken = REFRESH_TOKEN): Reply {
  return {
    status: 200,
    body: {
      token_type: 'bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: expiresIn,
    },
  };
}

function provider(server: TokenServer, extra: Partial<OAuthRefreshTokenOptions> = {}) {
  let now = 1_000_000;
  const tokens = oauthRefreshToken({
    clientId: 'client-id-1',
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
    baseUrl: server.baseUrl,
    clock: () => now,
    ...extra,
  });
  return {
    tokens,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    return error as DeliveryError;
  }
  throw new Error('expected a rejection');
}

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

  it('fails as UNAUTHORIZED with HubSpot words and no secret, and tries again next time', async () => {
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
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(error).toBeInstanceOf(DeliveryError);
    expect(isHublineError(error, 'UNAUTHORIZED')).toBe(true);
    expect(error.status).toBe(400);
    expect(error.category).toBe('BAD_REFRESH_TOKEN');
    expect(error.message).toContain('missing or unknown refresh token');
    expect(error.message).not.toContain(REFRESH_TOKEN);
    expect(error.message).not.toContain(CLIENT_SECRET);
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

  it('fails as UNAUTHORIZED when the answer has no access token', async () => {
    const server = await startTokenServer();
    server.reply({ status: 200, body: { token_type: 'bearer' } });
    const { tokens } = provider(server);

    expect(isHublineError(await rejection(tokens.getToken()), 'UNAUTHORIZED')).toBe(true);
  });

  it('fails as UNAUTHORIZED without status when the token endpoint cannot be reached', async () => {
    const server = await startTokenServer();
    await server.close();
    const { tokens } = provider(server);

    const error = await rejection(tokens.getToken());

    expect(isHublineError(error, 'UNAUTHORIZED')).toBe(true);
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
