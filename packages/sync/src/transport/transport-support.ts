import type { HttpAnswer, TransportFailureKind } from '@hubline/core';
import type { TransportRequest } from '../contracts.js';

/** A minimal structured logger; a transport only writes `debug` lines and never passes it a token. */
export interface TransportLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** The largest delay `setTimeout` can hold; longer deadlines are clamped to it. */
const MAX_TIMEOUT_MS = 2_147_483_647;

const silentLogger: TransportLogger = { debug: () => {} };

/** What every transport needs around one request: its URL, its deadline, and failure answers that are logged and redacted. */
export interface RequestFrame {
  /** `baseUrl` and `path` joined with exactly one slash. */
  readonly url: string;
  /** The request's deadline in ms, clamped to what a timer can hold. */
  readonly timeoutMs: number;
  /** A `failure` answer whose message names the request and never contains the access token; logged at debug. */
  failure(kind: TransportFailureKind, detail: string): HttpAnswer;
  /** Writes a debug line; a logger that throws changes nothing. */
  debug(message: string, fields: Record<string, unknown>): void;
}

/**
 * Builds the {@link RequestFrame} of one request.
 *
 * @param request - the request the engine asked for.
 * @param logger - where debug lines go. @default a no-op logger
 */
export function frameRequest(
  request: TransportRequest,
  logger: TransportLogger = silentLogger,
): RequestFrame {
  const url = joinUrl(request.baseUrl, request.path);
  const debug = (message: string, fields: Record<string, unknown>): void => {
    try {
      logger.debug(message, fields);
    } catch {
      // Logging is best effort: a broken sink must neither turn an answer into a failure nor make the transport reject.
    }
  };
  return {
    url,
    timeoutMs: clampTimeout(request.timeoutMs),
    debug,
    failure(kind, detail) {
      const message = redact(`${request.method} ${url}: ${detail}`, request.accessToken);
      debug('transport failure', { url, failure: kind, message });
      return { kind: 'failure', failure: kind, message };
    },
  };
}

function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return path.startsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

function clampTimeout(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs)) return MAX_TIMEOUT_MS;
  return Math.min(Math.max(1, Math.round(timeoutMs)), MAX_TIMEOUT_MS);
}

/** Belt and braces: no error text from below should carry the token, but none may ever leave with it. */
function redact(message: string, token: string): string {
  return token.length > 0 ? message.split(token).join('[redacted]') : message;
}
