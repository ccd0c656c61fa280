import type { HttpAnswer } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../src/contracts.js';
import { dripBody, startRawServer, streamBody } from './hostile-http.js';
import {
  expectFailure,
  PATH,
  requestTo,
  startServer,
  TOKEN,
  type TransportFactoryOptions,
} from './transport-fixtures.js';

const MiB = 1024 * 1024;

/** Every form a token could leak in: raw, URL-encoded, form-encoded, lower-case percent escapes. */
function encodedForms(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
  return [secret, url, form, lower(url), lower(form)];
}

/** The message of a failure answer, or the empty string. */
function messageOf(answer: HttpAnswer): string {
  return answer.kind === 'failure' ? answer.message : '';
}

/**
 * The transport contract against servers that misbehave: bodies over the cap (small, and hundreds of MiB streamed),
 * dripping bodies, resets mid-body, broken chunked encoding and headers, GET read-backs, and requests that cannot
 * leave (a token a header cannot carry, a URL with user info). Whatever the server does, the transport answers, never
 * throws, never rejects, and keeps the host process alive and small. Run by {@link describeTransportContract}.
 *
 * @param make - builds a fresh transport with the given options.
 */
export function describeHostileServerContract(make: (options?: TransportFactoryOptions) => Transport): void {
  describe('bounded answers', () => {
    it('refuses a maxResponseBytes that is not a positive integer and a user agent a header cannot carry', () => {
      for (const maxResponseBytes of [0, -1, 1.5, Number.NaN]) {
        expect(() => make({ maxResponseBytes })).toThrow(/maxResponseBytes: must be a positive integer/);
      }
      expect(() => make({ userAgent: 'kiosk\r\nX-Injected: 1' })).toThrow(/userAgent:/);
    });

    it('returns a body of exactly maxResponseBytes, and answers body-too-large one byte past it', async () => {
      const server = await startServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('x'.repeat(req.url === '/at-cap' ? 100 : 101));
      });
      const transport = make({ maxResponseBytes: 100 });

      const atCap = await transport(requestTo(server.url, { path: '/at-cap' }));
      const overCap = await transport(requestTo(server.url, { path: '/over-cap' }));

      expect(atCap).toMatchObject({ kind: 'response', status: 200, body: 'x'.repeat(100) });
      expectFailure(overCap, 'body-too-large');
      expect(messageOf(overCap)).toContain('maxResponseBytes (100)');
    });

    it('answers body-too-large for a chunked body that grows past the cap, with no length announced', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('x'.repeat(60));
        setTimeout(() => res.end('x'.repeat(60)), 10);
      });

      const answer = await make({ maxResponseBytes: 100 })(requestTo(server.url));

      expectFailure(answer, 'body-too-large');
    });

    it('stops at once on a streamed 600 MiB body: the process lives, memory stays flat, the server is cut off', async () => {
      const total = 600 * MiB;
      let sentSoFar = (): number => 0;
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        sentSoFar = streamBody(res, total);
      });
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();

      const answer = await make()(requestTo(server.url, { timeoutMs: 10_000 }));

      expectFailure(answer, 'body-too-large');
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
      // The connection was destroyed: the server could hand over little more than the cap and the socket buffers.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sentSoFar()).toBeLessThan(64 * MiB);
    });

    it('refuses a Content-Length of 600 MiB before reading the body', async () => {
      let sentSoFar = (): number => 0;
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(600 * MiB) });
        sentSoFar = streamBody(res, 600 * MiB);
      });

      const answer = await make()(requestTo(server.url, { timeoutMs: 10_000 }));

      expectFailure(answer, 'body-too-large');
      expect(messageOf(answer)).toContain(`${600 * MiB} bytes (Content-Length)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sentSoFar()).toBeLessThan(64 * MiB);
    });

    it('answers timeout for a body that drips a byte every 10 ms: the deadline covers the whole exchange', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        dripBody(res, 10);
      });
      const started = performance.now();

      const answer = await make()(requestTo(server.url, { timeoutMs: 200 }));

      expectFailure(answer, 'timeout');
      expect(performance.now() - started).toBeLessThan(2_000);
    });
  });

  describe('broken answers', () => {
    it('answers reset when the connection drops in the middle of a chunked body', async () => {
      const server = await startServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"status":"COMPLETE","resu', () => setTimeout(() => req.socket.destroy(), 5));
      });

      expectFailure(await make()(requestTo(server.url)), 'reset');
    });

    it.each([
      [
        'a chunk size that is not hex',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n',
      ],
      [
        'a header line without a colon',
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis is no header\r\n\r\n{}',
      ],
      ['a status line that is not HTTP', 'SMTP ready\r\n\r\n'],
      [
        'two different Content-Lengths',
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}',
      ],
    ])('answers reset, without throwing, for %s', async (_title, bytes) => {
      const server = await startRawServer((socket) => socket.end(bytes));

      const answer = await make()(requestTo(server.url));

      expectFailure(answer, 'reset');
    });
  });

  describe('GET', () => {
    it('sends a GET without a body or content type, authorised, and returns the answer', async () => {
      let seen: { method?: string; body?: string; type?: string; length?: string; auth?: string } = {};
      const server = await startServer((req, res) => {
        seen = {
          method: req.method,
          body: (req as { body?: string }).body,
          type: req.headers['content-type'],
          length: req.headers['content-length'],
          auth: req.headers.authorization,
        };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"id":"evt-1"}');
      });

      const answer = await make()(
        requestTo(server.url, {
          method: 'GET',
          path: '/integrators/timeline/v3/events/1001/evt-1',
          body: undefined,
        }),
      );

      expect(answer).toMatchObject({ kind: 'response', status: 200, body: '{"id":"evt-1"}' });
      expect(seen).toEqual({
        method: 'GET',
        body: '',
        type: undefined,
        length: undefined,
        auth: `Bearer ${TOKEN}`,
      });
    });
  });

  describe('requests that cannot leave', () => {
    it.each([
      ['a token with a line feed', { accessToken: `${TOKEN}\nX-Injected: 1` }],
      ['a token with a character beyond Latin-1', { accessToken: `${TOKEN}☕` }],
      ['a token with a NUL', { accessToken: `${TOKEN}\u0000` }],
    ])('answers offline without connecting for %s', async (_title, overrides) => {
      const server = await startServer((_req, res) => res.end());

      const answer = await make()(requestTo(server.url, overrides));

      // Nothing left the process: no attempt is spent, and the engine pauses and probes.
      expectFailure(answer, 'offline');
      expect(messageOf(answer)).toContain('could not send');
      expect(server.connections()).toBe(0);
    });

    it.each([
      ['user info', (url: string) => url.replace('http://', 'http://app:pw-9f8e@')],
      ['a space in the host', () => 'http://exa mple.invalid'],
      ['a scheme other than http(s)', (url: string) => url.replace('http://', 'ftp://')],
    ])(
      'answers offline without connecting for a URL with %s, and does not quote it',
      async (_title, spoil) => {
        const server = await startServer((_req, res) => res.end());

        const answer = await make()(requestTo(spoil(server.url)));

        expectFailure(answer, 'offline');
        expect(messageOf(answer)).toContain('could not send');
        expect(messageOf(answer)).not.toContain('pw-9f8e');
        expect(server.connections()).toBe(0);
      },
    );

    it('never puts a token with + / = & % and spaces in a message, raw or encoded, whatever the failure', async () => {
      const token = 'pat+na1/SECRET=0&1%2 3 x';
      const stalled = await startServer(() => {});
      const dropping = await startServer((req) => req.socket.destroy());
      const closed = await startServer(() => {});
      await closed.close();
      const lines: string[] = [];
      const transport = make({
        logger: { debug: (message, fields) => lines.push(message + JSON.stringify(fields)) },
      });

      const answers = await Promise.all([
        transport(requestTo(stalled.url, { accessToken: token, timeoutMs: 30 })),
        transport(requestTo(dropping.url, { accessToken: token })),
        transport(requestTo(closed.url, { accessToken: token })),
        transport(requestTo(stalled.url, { accessToken: `${token}\n☕` })),
        transport(
          requestTo(`${stalled.url}${PATH}?t=${encodeURIComponent(token)}`, {
            accessToken: token,
            path: '',
            timeoutMs: 30,
          }),
        ),
      ]);

      expect(answers.map((answer) => answer.kind)).toEqual(Array(5).fill('failure'));
      for (const text of [...answers.map(messageOf), ...lines]) {
        for (const form of encodedForms(token)) expect(text).not.toContain(form);
      }
    });
  });
}
