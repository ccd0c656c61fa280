/** Test support: what every transport test needs — a loopback server, a request, the token no message may carry. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAnswer, Logger } from '@hubline/core';
import { afterEach, expect } from 'vitest';
import type { TransportRequest } from '../../src/contracts.js';

/** The bearer token every contract request carries; no message may contain it. */
export const TOKEN = 'pat-na1-SECRET-0123456789abcdef';
/** The v3 batch path every contract request goes to. */
export const PATH = '/integrators/timeline/v3/events/batch/create';

/** A loopback HTTP server that has read each request body before its handler runs. */
export interface TestServer {
  readonly url: string;
  readonly connections: () => number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * Starts a {@link TestServer} on 127.0.0.1 and a free port; it is closed after each test.
 *
 * @param handler - answers each request (or does not).
 */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer((req, res) => {
    // Read the request fully before answering, as a real server would.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      (req as IncomingMessage & { body?: string }).body = Buffer.concat(chunks).toString('utf8');
      handler(req, res);
    });
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

/**
 * A v3 batch request to `baseUrl` with {@link TOKEN} and a 2 s deadline.
 *
 * @param baseUrl - the server's URL.
 * @param overrides - fields to change.
 */
export function requestTo(baseUrl: string, overrides: Partial<TransportRequest> = {}): TransportRequest {
  return {
    baseUrl,
    path: PATH,
    method: 'POST',
    body: '{"inputs":[]}',
    accessToken: TOKEN,
    timeoutMs: 2_000,
    ...overrides,
  };
}

/**
 * Asserts a `failure` answer of the given kind whose message does not carry the token.
 *
 * @param answer - what the transport answered.
 * @param failure - the expected kind.
 */
export function expectFailure(answer: HttpAnswer, failure: string): void {
  expect(answer.kind).toBe('failure');
  if (answer.kind !== 'failure') return;
  expect(answer.failure).toBe(failure);
  expect(answer.message).not.toContain(TOKEN);
}

/** What a contract suite may ask of the transport under test. */
export interface TransportFactoryOptions {
  userAgent?: string;
  logger?: Pick<Logger, 'debug'>;
  maxResponseBytes?: number;
}
