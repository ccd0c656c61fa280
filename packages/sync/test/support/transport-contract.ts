import { getEventListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../src/contracts.js';
import { startRawServer } from './hostile-http.js';
import { describeHostileServerContract } from './transport-contract-hostile.js';
import {
  expectFailure,
  PATH,
  requestTo,
  startServer,
  TOKEN,
  type TransportFactoryOptions,
} from './transport-fixtures.js';

/**
 * The behaviour every {@link Transport} shipped with Hubline must have, over real HTTP to a loopback server:
 * answers returned (never thrown), failures classified, deadlines over the whole exchange, aborts, kept-alive
 * connections, and no token in any message or log line; and, against servers that misbehave, bounded bodies,
 * requests refused before they leave, and never a throw (see `transport-contract-hostile.ts`). Each transport's
 * test file runs it once.
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

    it('names a request by origin and path only in its debug lines: a query string (a developer key) never reaches a log', async () => {
      const answering = await startServer((_req, res) => {
        res.writeHead(201);
        res.end('{}');
      });
      // Not HTTP at all: a failure no classifier recognises, which the transport notes before treating it as a reset.
      const garbled = await startRawServer((socket) => socket.end('SMTP ready\r\n\r\n'));
      const lines: { message: string; fields: string }[] = [];
      const transport = make({
        logger: { debug: (message, fields) => lines.push({ message, fields: JSON.stringify(fields) }) },
      });
      const withKey = { path: `${PATH}?hapikey=dev-key-0042&limit=1` };

      const answer = await transport(requestTo(answering.url, withKey));
      const broken = await transport(requestTo(garbled.url, withKey));

      expect(answer).toMatchObject({ kind: 'response', status: 201 });
      expectFailure(broken, 'reset');
      expect(lines.find((line) => line.message === 'transport response')?.fields).toContain(
        `"url":"${answering.url}${PATH}"`,
      );
      expect(lines.find((line) => line.message.startsWith('unrecognised network failure'))?.fields).toContain(
        `"url":"${garbled.url}${PATH}"`,
      );
      for (const line of lines) {
        expect(line.fields).not.toContain('hapikey');
        expect(line.fields).not.toContain('dev-key-0042');
      }
    });

    it('never puts the token in a failure message, whatever the failure', async () => {
      const stalled = await startServer(() => {});
      const dropping = await startServer((req) => req.socket.destroy());
      const closed = await startServer(() => {});
      await closed.close();

      const answers = await Promise.all([
        // Long enough that a loaded machine still connects before the deadline: the request, not the connect, times out.
        make()(requestTo(stalled.url, { timeoutMs: 500 })),
        make()(requestTo(dropping.url)),
        make()(requestTo(closed.url)),
        make()(requestTo(stalled.url, { signal: AbortSignal.timeout(250) })),
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

    describeHostileServerContract(make);
  });
}
