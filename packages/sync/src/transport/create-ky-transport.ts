import type { HttpAnswer, Logger } from '@hubline/core';
import ky from 'ky';
import type { Transport, TransportRequest } from '../contracts.js';
import { classifyFetchError } from './classify-fetch-error.js';
import { readCappedBody } from './read-capped-body.js';
import { bodyTooLargeDetail, frameRequest, resolveTransportOptions } from './transport-support.js';

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
    const { url, shownUrl, timeoutMs, failure, debug, unsendable, authorization } = frameRequest(
      request,
      options.logger,
    );
    if (request.signal?.aborted) return failure('aborted', 'aborted before sending');
    if (unsendable !== undefined) return failure('offline', `could not send: ${unsendable}`);

    // One short-lived controller per request is the only deadline: it bounds the whole exchange, body included
    // (ky's own timeout ends when headers arrive, and its wrapper adds a timer and promises per request, so it is off);
    // and linking the caller's long-lived signal by a listener removed afterwards (rather than AbortSignal.any,
    // which ky applies to whatever signal it gets) leaves nothing attached to it.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    // Set when ky hands the request to fetch: an error before that (ky building the Request) sent nothing.
    let dispatched = false;
    const baseFetch = options.fetch ?? globalThis.fetch;

    try {
      const response = await client(url, {
        method: request.method,
        ...(request.body === undefined ? {} : { body: request.body }),
        timeout: false,
        signal: controller.signal,
        fetch: (input, init) => {
          dispatched = true;
          return baseFetch(input, init);
        },
        headers: {
          authorization,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
      const read = await readCappedBody(response, maxResponseBytes);
      if (read.kind === 'too-large') {
        // Aborting the fetch closes the connection instead of draining the rest of the body into the pool.
        controller.abort();
        return failure(
          'body-too-large',
          bodyTooLargeDetail(response.status, maxResponseBytes, read.declared),
        );
      }
      const headers: Record<string, string> = {};
      // Headers iterates with lower-cased names already; toLowerCase guards injected fetch doubles.
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      debug('transport response', { url: shownUrl, status: response.status, bytes: read.bytes });
      return { kind: 'response', status: response.status, headers, body: read.text };
    } catch (error) {
      if (request.signal?.aborted) return failure('aborted', 'aborted by the caller');
      // ky's own timeout is off, so the only deadline is this transport's.
      if (timedOut) return failure('timeout', `no complete answer within ${timeoutMs} ms`);
      const classified = classifyFetchError(error);
      if (!dispatched) return failure('offline', `could not send: ${classified.detail}`);
      if (!classified.recognised) debug('unrecognised network failure, treated as reset', { url: shownUrl });
      return failure(classified.failure, classified.detail);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };
}
