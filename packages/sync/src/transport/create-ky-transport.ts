import type { HttpAnswer } from '@hubline/core';
import ky from 'ky';
import type { Transport, TransportRequest } from '../contracts.js';
import { classifyFetchError } from './classify-fetch-error.js';
import { frameRequest, type TransportLogger } from './transport-support.js';

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
  /** @default a no-op logger */
  logger?: TransportLogger;
}

/**
 * A {@link Transport} over ky: one POST per call, with ky's own retries off (the engine decides what to
 * retry and when), HTTP errors returned as answers, and every failure mapped to a {@link HttpAnswer} of kind
 * `failure`. The promise never rejects, and no message it produces contains the access token.
 *
 * The timeout covers the whole exchange, headers and body: a server that sends headers and then stalls
 * still yields `timeout`.
 *
 * @param options - fetch implementation, user agent and logger.
 * @example
 * ```ts
 * const transport = createKyTransport({ userAgent: 'kiosk/1.2 hubline' });
 * const answer = await transport({
 *   baseUrl: 'https://api.hubapi.com', path: '/integrators/timeline/v3/events/batch/create',
 *   method: 'POST', body, accessToken, timeoutMs: 15_000,
 * });
 * if (answer.kind === 'response') console.log(answer.status);
 * ```
 */
export function createKyTransport(options: KyTransportOptions = {}): Transport {
  const client = ky.create({
    retry: 0,
    throwHttpErrors: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { 'user-agent': options.userAgent ?? 'hubline-sync' },
  });

  return async (request: TransportRequest): Promise<HttpAnswer> => {
    const { url, timeoutMs, failure, debug } = frameRequest(request, options.logger);
    if (request.signal?.aborted) return failure('aborted', 'aborted before sending');

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

    try {
      const response = await client(url, {
        method: request.method,
        body: request.body,
        timeout: false,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${request.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
      });
      const body = await response.text();
      const headers: Record<string, string> = {};
      // Headers iterates with lower-cased names already; toLowerCase guards injected fetch doubles.
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      debug('transport response', { url, status: response.status, bytes: body.length });
      return { kind: 'response', status: response.status, headers, body };
    } catch (error) {
      if (request.signal?.aborted) return failure('aborted', 'aborted by the caller');
      // ky's own timeout is off, so the only deadline is this transport's.
      if (timedOut) {
        return failure('timeout', `no complete answer within ${timeoutMs} ms`);
      }
      const classified = classifyFetchError(error);
      if (!classified.recognised) debug('unrecognised network failure, treated as reset', { url });
      return failure(classified.failure, classified.detail);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };
}
