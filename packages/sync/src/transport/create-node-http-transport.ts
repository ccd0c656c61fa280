import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type HttpAnswer, ValidationError } from '@hubline/core';
import type { Transport, TransportRequest } from '../contracts.js';
import { classifyFetchError } from './classify-fetch-error.js';
import { frameRequest, type TransportLogger } from './transport-support.js';

/** Options of {@link createNodeHttpTransport}. */
export interface NodeHttpTransportOptions {
  /**
   * The agents that own the connections, e.g. to route through a proxy agent or to share one pool between
   * transports. Each must keep connections alive, or every batch pays a new TCP (and TLS) handshake.
   * @default one keep-alive `http.Agent` and one keep-alive `https.Agent`, owned by this transport
   */
  agents?: { http?: HttpAgent; https?: HttpsAgent };
  /** Sent as `User-Agent`. @default 'hubline-sync' */
  userAgent?: string;
  /**
   * How long opening a connection (TCP, and the TLS handshake for https) may take. A request that gets no
   * connection in time is answered `offline` — nothing was sent — so the engine pauses and probes instead of
   * spending attempts on a network that silently drops packets. Never longer than the request's own timeout.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /** @default a no-op logger */
  logger?: TransportLogger;
}

/** Like undici's default connect timeout. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The engine's default {@link Transport}: one POST per call over `node:http` / `node:https` with keep-alive
 * connections, HTTP errors returned as answers, and every failure mapped to a {@link HttpAnswer} of kind
 * `failure` (`offline` when no connection could be opened in time, `reset` when one broke mid-exchange,
 * `timeout`, `aborted`). The promise never rejects, and no message it produces contains the access token.
 *
 * The deadline covers the whole exchange, headers and body: a server that sends headers and then stalls still
 * yields `timeout`, and the connection is destroyed rather than returned to the pool.
 *
 * Why not fetch: each fetch request builds several `Request` objects whose abort signals undici registers with a
 * `FinalizationRegistry`, so every request outlives young-generation collections. Draining a large backlog, that
 * costs 52–89 MB of peak RSS and about a quarter of the drain speed (`pnpm bench memory`, `pnpm bench drain`).
 * {@link createKyTransport} remains for apps that need fetch (an instrumented or mocked fetch, for instance).
 *
 * @param options - agents, user agent, connect timeout and logger.
 * @example
 * ```ts
 * const transport = createNodeHttpTransport({ userAgent: 'kiosk/1.2 hubline' });
 * const sync = createSyncEngine({ outbox, accessToken, transport });
 * ```
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport {
  const userAgent = options.userAgent ?? 'hubline-sync';
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!Number.isSafeInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    throw new ValidationError('node:http transport options', [
      {
        path: 'connectTimeoutMs',
        message: `must be a positive integer, got ${String(options.connectTimeoutMs)}`,
      },
    ]);
  }
  let httpAgent = options.agents?.http;
  let httpsAgent = options.agents?.https;
  const agentFor = (secure: boolean): HttpAgent => {
    if (secure) {
      httpsAgent ??= new HttpsAgent({ keepAlive: true });
      return httpsAgent;
    }
    httpAgent ??= new HttpAgent({ keepAlive: true });
    return httpAgent;
  };

  return (request: TransportRequest): Promise<HttpAnswer> =>
    new Promise<HttpAnswer>((resolve) => {
      const { url, timeoutMs, failure, debug } = frameRequest(request, options.logger);
      if (request.signal?.aborted) {
        resolve(failure('aborted', 'aborted before sending'));
        return;
      }
      const secure = url.startsWith('https:');
      // Until the connection is open (TCP, and TLS for https), nothing of the request can have reached the server.
      let connected = false;
      let settled = false;
      const settle = (answer: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(connectTimer);
        request.signal?.removeEventListener('abort', onCallerAbort);
        resolve(answer);
      };
      const fail = (error: unknown): void => {
        if (settled) return;
        const classified = classifyFetchError(error);
        if (!connected) {
          // Whatever failed (refused, DNS, a TLS handshake or certificate a captive portal spoiled), the request
          // never left: the connection it waited for did not open.
          settle(failure('offline', classified.detail));
          return;
        }
        if (!classified.recognised) debug('unrecognised network failure, treated as reset', { url });
        // An "unreachable" error on a connection that was open may come after the request went out.
        settle(failure(classified.failure === 'offline' ? 'reset' : classified.failure, classified.detail));
      };

      let outgoing: ClientRequest;
      try {
        outgoing = (secure ? httpsRequest : httpRequest)(
          url,
          {
            method: request.method,
            agent: agentFor(secure),
            headers: {
              // As fetch does with header values, surrounding whitespace (a token read from a file) is dropped.
              authorization: `Bearer ${trimHttpWhitespace(request.accessToken)}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(request.body),
              accept: 'application/json',
              'user-agent': userAgent,
            },
          },
          (response) => readAnswer(response, settle, fail, debug, url),
        );
      } catch (error) {
        // node:http throws synchronously on a URL or header it cannot send (a control character in the token):
        // nothing left the process, so no attempt is spent; the engine pauses with this message as its reason.
        resolve(
          failure('offline', `could not send: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      }
      // Destroying the request also destroys the socket, so a stalled or abandoned connection never returns to the pool.
      const giveUp = (answer: HttpAnswer): void => {
        settle(answer);
        outgoing.destroy();
      };
      const timer = setTimeout(() => {
        giveUp(
          connected
            ? failure('timeout', `no complete answer within ${timeoutMs} ms`)
            : failure('offline', `no connection within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const connectTimer = setTimeout(
        () => {
          if (!connected) giveUp(failure('offline', `no connection within ${connectTimeoutMs} ms`));
        },
        Math.min(connectTimeoutMs, timeoutMs),
      );
      const onConnected = (): void => {
        connected = true;
        clearTimeout(connectTimer);
      };
      outgoing.once('socket', (socket) => {
        if (outgoing.reusedSocket || !socket.connecting) onConnected();
        else socket.once(secure ? 'secureConnect' : 'connect', onConnected);
      });
      const onCallerAbort = (): void => giveUp(failure('aborted', 'aborted by the caller'));
      request.signal?.addEventListener('abort', onCallerAbort, { once: true });
      outgoing.on('error', fail);
      outgoing.end(request.body, 'utf8');
    });
}

/** Leading and trailing HTTP whitespace (tab, line feed, carriage return, space), as fetch strips from header values. */
function trimHttpWhitespace(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

/** Collects one answer's body. A connection that closes before the body is complete makes node:http emit `error` (ECONNRESET). */
function readAnswer(
  response: IncomingMessage,
  settle: (answer: HttpAnswer) => void,
  fail: (error: unknown) => void,
  debug: (message: string, fields: Record<string, unknown>) => void,
  url: string,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('error', fail);
  response.on('end', () => {
    const bytes = Buffer.concat(chunks);
    const status = response.statusCode ?? 0;
    debug('transport response', { url, status, bytes: bytes.length });
    const body = bytes.toString('utf8');
    settle({ kind: 'response', status, headers: flattenHeaders(response.headers), body });
  });
}

/** Node already lower-cases header names; repeated headers (only `set-cookie` arrives as a list) are joined. */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
