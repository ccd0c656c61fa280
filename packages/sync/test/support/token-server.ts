/**
 * Test support: a real loopback OAuth token endpoint (`POST /oauth/v1/token`) with scripted replies, and an
 * `oauthRefreshToken` provider wired to it with a hand-moved clock.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryError } from '@hubline/core';
import { afterEach } from 'vitest';
import { type OAuthRefreshTokenOptions, oauthRefreshToken } from '../../src/auth/oauth-refresh-token.js';
import type { TokenProvider } from '../../src/contracts.js';

/** The app's client secret in these tests; no message may carry it. */
export const CLIENT_SECRET = 'client-secret-5f1e9a';
/** The install's refresh token in these tests; no message may carry it. */
export const REFRESH_TOKEN = 'refresh-token-0a7c33';

/** One scripted answer of the token endpoint. */
export interface Reply {
  readonly status: number;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, instead of `body`. */
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

/** A reply, or one computed from the raw form the server received (to echo it back). */
export type ReplyOrEcho = Reply | ((rawForm: string) => Reply);

/** A running token endpoint and what it received. */
export interface TokenServer {
  readonly baseUrl: string;
  /** Every form the server received, parsed. */
  readonly forms: Array<Record<string, string>>;
  readonly contentTypes: string[];
  readonly paths: string[];
  /** Replies used in order; the last one repeats. */
  reply(...replies: ReplyOrEcho[]): void;
  /** Hold answers until `release()` (to see concurrent callers share one refresh). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Starts a {@link TokenServer} on 127.0.0.1 and a free port; it is closed after each test. */
export async function startTokenServer(): Promise<TokenServer> {
  let replies: ReplyOrEcho[] = [];
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
      const next = (replies.length > 1 ? replies.shift() : replies[0]) ?? { status: 500, body: {} };
      const reply = typeof next === 'function' ? next(raw) : next;
      const answer = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.text ?? JSON.stringify(reply.body));
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

/**
 * A 200 grant of `accessToken` for `expiresIn` seconds, with `refreshToken`.
 *
 * @param accessToken - the token granted.
 * @param expiresIn - its lifetime in seconds.
 * @param refreshToken - the refresh token returned (rotated when it differs).
 */
export function granted(accessToken: string, expiresIn = 1800, refreshToken = REFRESH_TOKEN): Reply {
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

/**
 * An `oauthRefreshToken` provider for `server` (its own `baseUrl`) whose clock moves only by `advance`.
 *
 * @param server - the token endpoint.
 * @param extra - options to change; `baseUrl: undefined` leaves the endpoint to the caller's context.
 */
export function provider(
  server: TokenServer,
  extra: Partial<OAuthRefreshTokenOptions> = {},
): { tokens: TokenProvider; advance: (ms: number) => void } {
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

/**
 * The error `promise` rejects with; fails the test if it resolves.
 *
 * @param promise - a `getToken()` expected to fail.
 */
export async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    return error as DeliveryError;
  }
  throw new Error('expected a rejection');
}
