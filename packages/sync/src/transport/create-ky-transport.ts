import type { HttpAnswer, Logger } from '@hubline/core';
import ky from 'ky';
import type { Transport, TransportRequest } from '../contracts.js';
import { classifyFetchError } from './classify-fetch-error.js';
import { readCappedBody } from './read-capped-body.js';
import {
  bodyTooLargeDetail,
  frameRequest,
  type RequestFrame,
  resolveTransportOptions,
} from './transport-support.js';

/** Options of {@link createKyTransport}. */
export interface KyTransportOptions {
  /**
   * The fetch implementation. Node's global fetch keeps connections alive between requests (undici's pool),
   * which is what a steady stream of batches wants; inject another to use a proxy agent or a test double.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /** Sent as `User-Agent`. @default 'hubline-sync' */
  userAgent?: string;
  /**
   * The largest answer body read, in bytes. Past it the request is aborted at once and the answer is
   * `{ kind: 'failure', failure: 'body-too-large' }` (HubSpot may have stored the batch: the outcome is unknown),
   * so a runaway proxy or a hostile server costs at most this much memory.
   * @default 1048576 (1 MiB)
   */
  maxResponseBytes?: number;
  /** @default a no-op logger */
  logger?: Pick<Logger, 'debug'>;
}

/**
 * A {@link Transport} over ky: one request per call, with ky's own retries off (the engine decides what to
 * retry and when), HTTP errors returned as answers, and every failure mapped to a {@link HttpAnswer} of kind
 * `failure`. The promise never rejects, and no message it produces contains the access token.
 *
 * An error raised before the request leaves (a URL fetch refuses, a token a header cannot carry) is `offline`,
 * as with `createNodeHttpTransport`: nothing was sent, so no attempt is spent and the engine pauses and probes.
 * The timeout covers the whole exchange, headers and body: a server that sends headers and then stalls or drips
 * the body still yields `timeout`. A body past `maxResponseBytes` is `body-too-large`.
 *
 * Imported from `@hubline/sync/ky`, so an app that does not use it never loads ky (an optional peer dependency).
 *
 * @param options - fetch implementation, user agent, body cap and logger.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `maxResponseBytes` when it is not a positive integer, or
 *   `userAgent` when a header cannot carry it.
 * @example
 * ```ts
 * import { createKyTransport } from '@hubline/sync/ky';
 *
 * const transport = createKyTransport({ userAgent: 'kiosk/1.2 hubline' });
 * const sync = createSyncEngine({ outbox, accessToken, transport });
 * ```
 */
export function createKyTransport(options: KyTransportOptions = {}): Transport {
  const { userAgent, maxResponseBytes } = resolveTransportOptions(options, 'ky transport options');
  const client = ky.create({ retry: 0, throwHttpErrors: false, headers: { 'user-agent': userAgent } });

  return async (request: TransportRequest): Promise<HttpAnswer> => {
    const frame = frameRequest(request, options.logger);
    if (request.signal?.aborted) return frame.failure('aborted', 'aborted before sending');
    if (frame.unsendable !== undefined)
      return frame.failure('offline', `could not send: ${frame.unsendable}`);

    const deadline = startDeadline(frame.timeoutMs, request.signal);
    // Set when ky hands the request to fetch: an error before that (ky building the Request) sent nothing.
    let dispatched = false;
    const baseFetch = options.fetch ?? globalThis.fetch;

    try {
      const response = await client(frame.url, {
        method: request.method,
        ...(request.body === undefined ? {} : { body: request.body }),
        timeout: false,
        signal: deadline.signal,
        fetch: (input, init) => {
          dispatched = true;
          return baseFetch(input, init);
        },
        headers: {
          authorization: frame.authorization,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
      return await answerOf(response, frame, maxResponseBytes, deadline);
    } catch (error) {
      return failureOf(error, request, frame, { timedOut: deadline.timedOut(), dispatched });
    } finally {
      deadline.dispose();
    }
  };
}

/** The one deadline of a request, and the caller's signal linked to it. */
interface Deadline {
  /** Aborted when the deadline passes, when the caller aborts, or by {@link Deadline.abort}. */
  readonly signal: AbortSignal;
  /** Whether it was the deadline that aborted. */
  timedOut(): boolean;
  /** Aborts the request now (a body past the cap: close the connection rather than drain it). */
  abort(): void;
  /** Clears the timer and unlinks the caller's signal; call once the request is over. */
  dispose(): void;
}

/**
 * One short-lived controller per request is the only deadline: it bounds the whole exchange, body included (ky's
 * own timeout ends when headers arrive, and its wrapper adds a timer and promises per request, so it is off); and
 * linking the caller's long-lived signal by a listener removed afterwards (rather than AbortSignal.any, which ky
 * applies to whatever signal it gets) leaves nothing attached to it.
 */
function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    abort: () => controller.abort(),
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Reads an answer's body within the cap and returns it, or `body-too-large` with the request aborted. */
async function answerOf(
  response: Response,
  frame: RequestFrame,
  maxResponseBytes: number,
  deadline: Deadline,
): Promise<HttpAnswer> {
  const read = await readCappedBody(response, maxResponseBytes);
  if (read.kind === 'too-large') {
    // Aborting the fetch closes the connection instead of draining the rest of the body into the pool.
    deadline.abort();
    return frame.failure(
      'body-too-large',
      bodyTooLargeDetail(response.status, maxResponseBytes, read.declared),
    );
  }
  const headers: Record<string, string> = {};
  // Headers iterates with lower-cased names already; toLowerCase guards injected fetch doubles.
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  frame.debug('transport response', { url: frame.shownUrl, status: response.status, bytes: read.bytes });
  return { kind: 'response', status: response.status, headers, body: read.text };
}

/**
 * What a rejection means: the caller's abort, this transport's deadline, nothing sent yet (`offline`), or a
 * network failure classified (`offline` or `reset`).
 */
function failureOf(
  error: unknown,
  request: TransportRequest,
  frame: RequestFrame,
  state: { readonly timedOut: boolean; readonly dispatched: boolean },
): HttpAnswer {
  if (request.signal?.aborted) return frame.failure('aborted', 'aborted by the caller');
  // ky's own timeout is off, so the only deadline is this transport's.
  if (state.timedOut) return frame.failure('timeout', `no complete answer within ${frame.timeoutMs} ms`);
  const classified = classifyFetchError(error);
  if (!state.dispatched) return frame.failure('offline', `could not send: ${classified.detail}`);
  if (!classified.recognised) {
    frame.debug('unrecognised network failure, treated as reset', { url: frame.shownUrl });
  }
  return frame.failure(classified.failure, classified.detail);
}
