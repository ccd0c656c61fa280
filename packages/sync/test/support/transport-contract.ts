import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAnswer } from '@hubline/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport, TransportRequest } from '../../src/contracts.js';
import type { TransportLogger } from '../../src/transport/transport-support.js';

/** The bearer token every contract request carries; no message may contain it. */
export const TOKEN = 'pat-na1-SECRET-0123456789abcdef';
const PATH = '/integrators/timeline/v3/events/batch/create';

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
  logger?: TransportLogger;
}

/**
 * The behaviour every {@link Transport} shipped with Hubline must have, over real HTTP to a loopback server:
 * answers returned (never thrown), failures classified, deadlines over the whole exchange, aborts, kept-alive
 * connections, and no token in any message or log line. Each transport's test file runs it once.
 *
 * @param name - the transport's name, for the `describe` title.
 * @param make - builds a fresh transport with the given options.
 */
export function describeTransportContract(
  name: string,
  make: (options?: TransportFactoryOptions) => Transport,
): void {
  describe(`${name}: the transport contract`, () => {
    it('sends the batch as an authorised JSON POST and returns the 201 body', async () => {
      let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
      const server = await startServer((req, res) => {
        seen = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: (req as { body?: string }).body,
        };
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('{"status":"COMPLETE","results":[]}');
      });

      const answer = await make({ userAgent: 'kiosk-test/1.0' })(requestTo(`${server.url}/`));

      expect(answer).toEqual({
        kind: 'response',
        status: 201,
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: '{"status":"COMPLETE","results":[]}',
      });
      expect(seen.method).toBe('POST');
      expect(seen.url).toBe(PATH);
      expect(seen.headers?.authorization).toBe(`Bearer ${TOKEN}`);
      expect(seen.headers?.['content-type']).toBe('application/json');
      expect(seen.headers?.['user-agent']).toBe('kiosk-test/1.0');
      expect(seen.body).toBe('{"inputs":[]}');
    });

    it('returns a 429 as an answer (no retry) with header names in lower case', async () => {
      let hits = 0;
      const server = await startServer((_req, res) => {
        hits += 1;
        res.writeHead(429, {
          'Content-Type': 'application/json',
          'X-HubSpot-RateLimit-Max': '100',
          'X-HubSpot-RateLimit-Remaining': '0',
          'Retry-After': '7',
        });
        res.end('{"status":"error","policyName":"TEN_SECONDLY_ROLLING"}');
      });

      const answer = await make()(requestTo(server.url));

      expect(answer.kind).toBe('response');
      if (answer.kind !== 'response') return;
      expect(answer.status).toBe(429);
      expect(answer.headers['x-hubspot-ratelimit-max']).toBe('100');
      expect(answer.headers['x-hubspot-ratelimit-remaining']).toBe('0');
      expect(answer.headers['retry-after']).toBe('7');
      expect(Object.keys(answer.headers).every((name) => name === name.toLowerCase())).toBe(true);
      expect(hits).toBe(1);
    });

    it('returns an HTML 502 from a proxy as a plain-text answer', async () => {
      const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
      const server = await startServer((_req, res) => {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end(html);
      });

      const answer = await make()(requestTo(server.url));

      expect(answer).toMatchObject({ kind: 'response', status: 502, body: html });
    });

    it('answers timeout when the server never answers', async () => {
      const server = await startServer(() => {});

      const answer = await make()(requestTo(server.url, { timeoutMs: 50 }));

      expectFailure(answer, 'timeout');
    });

    it('answers timeout when the server sends headers and then stalls the body', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"status":');
      });

      const answer = await make()(requestTo(server.url, { timeoutMs: 50 }));

      expectFailure(answer, 'timeout');
    });

    it('answers reset when the server drops the connection before answering', async () => {
      const server = await startServer((req) => {
        req.socket.destroy();
      });

      const answer = await make()(requestTo(server.url));

      expectFailure(answer, 'reset');
    });

    it('answers reset when the connection drops after a partial body', async () => {
      const server = await startServer((req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"status":"COMP', () => {
          setTimeout(() => req.socket.destroy(), 5);
        });
      });

      const answer = await make()(requestTo(server.url));

      expectFailure(answer, 'reset');
    });

    it('answers offline when nothing listens on the port', async () => {
      const server = await startServer(() => {});
      const closedUrl = server.url;
      await server.close();

      const answer = await make()(requestTo(closedUrl));

      expectFailure(answer, 'offline');
      if (answer.kind === 'failure') expect(answer.message).toContain('ECONNREFUSED');
    });

    it('answers aborted when the caller aborts a request in flight', async () => {
      const server = await startServer(() => {});
      const controller = new AbortController();

      const pending = make()(requestTo(server.url, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 20);

      expectFailure(await pending, 'aborted');
    });

    it('answers aborted without sending when the signal is already aborted', async () => {
      let hits = 0;
      const server = await startServer((_req, res) => {
        hits += 1;
        res.end();
      });

      const answer = await make()(requestTo(server.url, { signal: AbortSignal.abort() }));

      expectFailure(answer, 'aborted');
      expect(hits).toBe(0);
    });

    it('leaves no listener on a long-lived caller signal after many requests', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(201);
        res.end('{}');
      });
      const engineStop = new AbortController();
      const transport = make();

      for (let i = 0; i < 20; i += 1) await transport(requestTo(server.url, { signal: engineStop.signal }));

      expect(getEventListeners(engineStop.signal, 'abort')).toHaveLength(0);
    });

    it('reuses kept-alive connections instead of opening one per request', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(201);
        res.end('{}');
      });
      const transport = make();

      await transport(requestTo(server.url));
      await transport(requestTo(server.url));
      const warm = server.connections();
      for (let i = 0; i < 5; i += 1) await transport(requestTo(server.url));

      expect(server.connections()).toBe(warm);
    });

    it('logs answers and failures without the token, and survives a logger that throws', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(201);
        res.end('{}');
      });
      const lines: string[] = [];
      const logger = {
        debug: (message: string, fields?: Record<string, unknown>) => {
          lines.push(`${message} ${JSON.stringify(fields)}`);
          throw new Error('log sink down');
        },
      };
      const transport = make({ logger });

      const answer = await transport(requestTo(server.url));
      const aborted = await transport(requestTo(server.url, { signal: AbortSignal.abort() }));

      expect(answer).toMatchObject({ kind: 'response', status: 201 });
      expectFailure(aborted, 'aborted');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).not.toContain(TOKEN);
    });

    it('never puts the token in a failure message, whatever the failure', async () => {
      const stalled = await startServer(() => {});
      const dropping = await startServer((req) => req.socket.destroy());
      const closed = await startServer(() => {});
      await closed.close();

      const answers = await Promise.all([
        make()(requestTo(stalled.url, { timeoutMs: 30 })),
        make()(requestTo(dropping.url)),
        make()(requestTo(closed.url)),
        make()(requestTo(stalled.url, { signal: AbortSignal.timeout(10) })),
      ]);

      expect(answers.map((answer) => answer.kind === 'failure' && answer.failure)).toEqual([
        'timeout',
        'reset',
        'offline',
        'aborted',
      ]);
      for (const answer of answers) {
        expect(answer.kind === 'failure' && answer.message).not.toContain(TOKEN);
        expect(answer.kind === 'failure' && answer.message.length).toBeGreaterThan(0);
      }
    });
  });
}
