import { isHublineError } from '@hubline/core';
import { defaultOAuthClient, type RunningEmulator, startEmulator } from '@hubline/emulator';
import { createKyTransport } from '@hubline/sync/ky';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthRefreshToken } from '../src/auth/oauth-refresh-token.js';
import type { Transport, TransportRequest } from '../src/contracts.js';
import { createNodeHttpTransport } from '../src/transport/create-node-http-transport.js';

const PATH = '/integrators/timeline/v3/events/batch/create';
const emulators: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const running = await startEmulator(options);
  emulators.push(running);
  return running;
}

function batch(ids: readonly string[]): string {
  return JSON.stringify({
    inputs: ids.map((id) => ({
      eventTemplateId: '1001234',
      id,
      email: 'ana@example.com',
      tokens: { page: '/pricing', seconds: 42 },
    })),
  });
}

function request(
  baseUrl: string,
  accessToken: string,
  overrides: Partial<TransportRequest> = {},
): TransportRequest {
  return {
    baseUrl,
    path: PATH,
    method: 'POST',
    body: batch(['evt-1', 'evt-2']),
    accessToken,
    timeoutMs: 5_000,
    ...overrides,
  };
}

function oauthFor(running: RunningEmulator, refreshToken = defaultOAuthClient.refreshTokens[0] ?? '') {
  return oauthRefreshToken({
    clientId: defaultOAuthClient.clientId,
    clientSecret: defaultOAuthClient.clientSecret,
    refreshToken,
    baseUrl: running.url,
  });
}

const transports: [string, () => Transport][] = [
  ['createNodeHttpTransport', () => createNodeHttpTransport()],
  ['createKyTransport', () => createKyTransport()],
];

describe.each(transports)('%s and OAuth against the emulator', (_name, createTransport) => {
  it('refreshes a token at /oauth/v1/token and delivers a batch with it', async () => {
    const running = await emulator();
    const token = await oauthFor(running).getToken();

    const answer = await createTransport()(request(running.url, token));

    expect(answer).toMatchObject({ kind: 'response', status: 201 });
    expect(running.events().map((event) => event.id)).toEqual(['evt-1', 'evt-2']);
  });

  it('reports a refused refresh token as UNAUTHORIZED with the emulator’s words and no secret', async () => {
    const running = await emulator();

    const failure = await oauthFor(running, 'not-a-known-refresh-token')
      .getToken()
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(isHublineError(failure, 'UNAUTHORIZED')).toBe(true);
    expect((failure as Error).message).toContain('refresh token');
    expect((failure as Error).message).not.toContain('not-a-known-refresh-token');
    expect((failure as Error).message).not.toContain(defaultOAuthClient.clientSecret);
  });

  it('sees a reset both before and after the events are stored', async () => {
    const running = await emulator({ faults: { sequence: ['reset-before-store', 'reset-after-store'] } });
    const { accessToken } = running.issueToken();
    const transport = createTransport();

    const before = await transport(request(running.url, accessToken, { body: batch(['evt-a']) }));
    const after = await transport(request(running.url, accessToken, { body: batch(['evt-b']) }));

    expect(before).toMatchObject({ kind: 'failure', failure: 'reset' });
    expect(after).toMatchObject({ kind: 'failure', failure: 'reset' });
    expect(running.events().map((event) => event.id)).toEqual(['evt-b']);
  });

  it('sees offline when the emulator stops listening, and a timeout when it answers too slowly', async () => {
    const running = await emulator({ faults: { sequence: ['slow'], slowMs: 2_000 } });
    const { accessToken } = running.issueToken();
    const transport = createTransport();

    const slow = await transport(request(running.url, accessToken, { timeoutMs: 100 }));
    await running.setOnline(false);
    const offline = await transport(request(running.url, accessToken));

    expect(slow).toMatchObject({ kind: 'failure', failure: 'timeout' });
    expect(offline).toMatchObject({ kind: 'failure', failure: 'offline' });
  });

  it('returns a 429 burst with HubSpot’s rate-limit headers in lower case', async () => {
    const running = await emulator({ faults: { sequence: ['rate-limit-burst'], burstLength: 1 } });
    const { accessToken } = running.issueToken();

    const answer = await createTransport()(request(running.url, accessToken));

    expect(answer.kind).toBe('response');
    if (answer.kind !== 'response') return;
    expect(answer.status).toBe(429);
    expect(answer.body).toContain('TEN_SECONDLY_ROLLING');
    expect(Object.keys(answer.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });
});
