import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpAnswer, Logger, ValidationIssue } from '@hubline/core';
import type { Transport, TransportRequest } from '../contracts.js';
import { classifyFetchError } from './classify-fetch-error.js';
import {
  bodyTooLargeDetail,
  declaredOverCap,
  frameRequest,
  type RequestFrame,
  resolveTransportOptions,
} from './transport-support.js';

/** Options of {@link createNodeHttpTransport}. */
export interface NodeHttpTransportOptions {
  /**
   * The agents that own the connections, e.g. to route through a proxy agent or to share one pool between
   * transports. Each must keep connections alive, or every batch pays a new TCP (and TLS) handshake.
   * @default one keep-alive `http.Agent` and one keep-alive `https.Agent`, owned by this transport
   */
  agents?: {
    /** The agent for `http:` base URLs. @default a keep-alive `http.Agent` owned by this transport */
    http?: HttpAgent;
    /** The agent for `https:` base URLs. @default a keep-alive `https.Agent` owned by this transport */
    https?: HttpsAgent;
  };
  /** Sent as `User-Agent`. @default 'hubline-sync' */
  userAgent?: string;
  /**
   * How long opening a connection (TCP, and the TLS handshake for https) may take. A request that gets no
   * connection in time is answered `offline` — nothing was sent — so the engine pauses and probes instead of
   * spending attempts on a network that silently drops packets. Never longer than the request's own timeout.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * The largest answer body read, in bytes. Past it the connection is destroyed at once and the answer is
   * `{ kind: 'failure', failure: 'body-too-large' }` (HubSpot may have stored the batch: the outcome is unknown),
   * so a runaway proxy or a hostile server costs at most this much memory.
   * @default 1048576 (1 MiB)
   */
  maxResponseBytes?: number;
  /** @default a no-op logger */
  logger?: Pick<Logger, 'debug'>;
}

/** Like undici's default connect timeout. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** One request's settings, resolved once per transport. */
interface Settings {
  readonly userAgent: string;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly agentFor: (secure: boolean) => HttpAgent;
}

/**
 * The engine's default {@link Transport}: one request per call over `node:http` / `node:https` with keep-alive
 * connections, HTTP errors returned as answers, and every failure mapped to a {@link HttpAnswer} of kind
 * `failure` (`offline` when no connection could be opened in time or the request could not even be formed,
 * `reset` when a connection broke mid-exchange or the answer could not be parsed, `timeout`, `aborted`,
 * `body-too-large`). The promise never rejects and nothing it does throws, whatever the server sends, and no
 * message it produces contains the access token.
 *
 * The deadline covers the whole exchange, headers and body: a server that sends headers and then stalls or
 * drips the body still yields `timeout`, and the connection is destroyed rather than returned to the pool.
 *
 * Why not fetch: each fetch request builds several `Request` objects whose abort signals undici registers with a
 * `FinalizationRegistry`, so every request outlives young-generation collections. Draining a large backlog, that
 * costs 52–89 MB of peak RSS and about a quarter of the drain speed (`pnpm bench memory`, `pnpm bench drain`).
 * `createKyTransport` (`@hubline/sync/ky`) remains for apps that need fetch (an instrumented or mocked fetch).
 *
 * @param options - agents, user agent, connect timeout, body cap and logger.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `connectTimeoutMs` or `maxResponseBytes` when one is not a
 *   positive integer, or `userAgent` when a header cannot carry it.
 * @example
 * ```ts
 * const transport = createNodeHttpTransport({ userAgent: 'kiosk/1.2 hubline' });
 * const sync = createSyncEngine({ outbox, accessToken, transport });
 * ```
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const issues: ValidationIssue[] = [];
  if (!Number.isSafeInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    issues.push({
      path: 'connectTimeoutMs',
      message: `must be a positive integer, got ${String(options.connectTimeoutMs)}`,
    });
  }
  const { userAgent, maxResponseBytes } = resolveTransportOptions(
    options,
    'node:http transport options',
    issues,
  );
  let httpAgent = options.agents?.http;
  let httpsAgent = options.agents?.https;
  const settings: Settings = {
    userAgent,
    connectTimeoutMs,
    maxResponseBytes,
    agentFor: (secure) => {
      if (secure) {
        httpsAgent ??= new HttpsAgent({ keepAlive: true });
        return httpsAgent;
      }
      httpAgent ??= new HttpAgent({ keepAlive: true });
      return httpAgent;
    },
  };

  return (request: TransportRequest): Promise<HttpAnswer> =>
    new Promise<HttpAnswer>((resolve) => {
      const frame = frameRequest(request, options.logger);
      try {
        exchange(request, frame, settings, resolve);
      } catch (error) {
        // Defence in depth: nothing below should throw, but a transport must never reject. The request may have
        // left, so the cautious kind.
        resolve(frame.failure('reset', `transport error: ${describe(error)}`));
      }
    });
}

/** Sends one request and resolves its answer exactly once. */
function exchange(
  request: TransportRequest,
  frame: RequestFrame,
  settings: Settings,
  resolve: (answer: HttpAnswer) => void,
): void {
  const { url, timeoutMs, failure, debug } = frame;
  if (request.signal?.aborted) {
    resolve(failure('aborted', 'aborted before sending'));
    return;
  }
  if (frame.unsendable !== undefined) {
    // Nothing left the process: no attempt is spent, and the engine pauses with this message as its reason.
    resolve(failure('offline', `could not send: ${frame.unsendable}`));
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
    if (!classified.recognised) {
      debug('unrecognised network failure, treated as reset', { url: frame.shownUrl });
    }
    // An "unreachable" error on a connection that was open may come after the request went out.
    settle(failure(classified.failure === 'offline' ? 'reset' : classified.failure, classified.detail));
  };

  let outgoing: ClientRequest;
  try {
    outgoing = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: request.method,
        agent: settings.agentFor(secure),
        headers: headersOf(request, frame, settings),
      },
      (response) =>
        readAnswer(response, { settle, fail, giveUp, frame, maxBytes: settings.maxResponseBytes }),
    );
  } catch (error) {
    // node:http throws synchronously on a URL or header it cannot send: nothing left the process. (No timer
    // runs yet, so the answer goes straight out.)
    resolve(failure('offline', `could not send: ${describe(error)}`));
    return;
  }
  // Destroying the request also destroys the socket, so a stalled or abandoned connection never returns to the pool.
  function giveUp(answer: HttpAnswer): void {
    settle(answer);
    outgoing.destroy();
  }
  const timer = setTimeout(() => {
    giveUp(
      connected
        ? failure('timeout', `no complete answer within ${timeoutMs} ms`)
        : failure('offline', `no connection within ${timeoutMs} ms`),
    );
  }, timeoutMs);
  const connectTimer = setTimeout(
    () => {
      if (!connected) giveUp(failure('offline', `no connection within ${settings.connectTimeoutMs} ms`));
    },
    Math.min(settings.connectTimeoutMs, timeoutMs),
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
  if (request.body === undefined) outgoing.end();
  else outgoing.end(request.body, 'utf8');
}

function headersOf(request: TransportRequest, frame: RequestFrame, settings: Settings): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    authorization: frame.authorization,
    accept: 'application/json',
    'user-agent': settings.userAgent,
  };
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(request.body);
  }
  return headers;
}

/** What reading one answer needs from its exchange. */
interface AnswerSink {
  readonly settle: (answer: HttpAnswer) => void;
  readonly fail: (error: unknown) => void;
  /** Settles and destroys the connection. */
  readonly giveUp: (answer: HttpAnswer) => void;
  readonly frame: RequestFrame;
  readonly maxBytes: number;
}

/**
 * Collects one answer's body, up to `maxBytes`: an announced or received body past the cap destroys the
 * connection at once. A connection that closes before the body is complete, or a body the parser refuses (bad
 * chunked encoding), makes node:http emit `error`.
 */
function readAnswer(response: IncomingMessage, sink: AnswerSink): void {
  const { frame, maxBytes } = sink;
  const status = response.statusCode ?? 0;
  const declared = declaredOverCap(response.headers['content-length'], maxBytes);
  if (declared !== undefined) {
    sink.giveUp(frame.failure('body-too-large', bodyTooLargeDetail(status, maxBytes, declared)));
    return;
  }
  let chunks: Buffer[] = [];
  let bytes = 0;
  response.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      chunks = [];
      sink.giveUp(frame.failure('body-too-large', bodyTooLargeDetail(status, maxBytes)));
      return;
    }
    chunks.push(chunk);
  });
  response.on('error', sink.fail);
  response.on('end', () => {
    try {
      const body = Buffer.concat(chunks, bytes).toString('utf8');
      frame.debug('transport response', { url: frame.shownUrl, status, bytes });
      sink.settle({ kind: 'response', status, headers: flattenHeaders(response.headers), body });
    } catch (error) {
      sink.settle(frame.failure('reset', `could not read the answer: ${describe(error)}`));
    }
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
