import {
  type HttpAnswer,
  type Logger,
  silentLogger,
  type TransportFailureKind,
  ValidationError,
  type ValidationIssue,
} from '@hubline/core';
import type { TransportRequest } from '../contracts.js';
import { redactSecrets } from './redact-secrets.js';

/** Defaults shared by the transports. */
const TRANSPORT_DEFAULTS = {
  /** Sent as `User-Agent`. */
  userAgent: 'hubline-sync',
  /** The largest answer body read (1 MiB); a batch answer for 100 events is a few KiB. */
  maxResponseBytes: 1_048_576,
} as const;

/** The largest delay `setTimeout` can hold; longer deadlines are clamped to it. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** What node:http accepts in a header value (fetch accepts a little more): tab, printable ASCII and Latin-1. */
const UNSENDABLE_HEADER_CHARACTER = /[^\t\x20-\x7e\x80-\xff]/;

/** What every transport needs around one request: its URL, its deadline, and failure answers that are logged and redacted. */
export interface RequestFrame {
  /** `baseUrl` and `path` joined with exactly one slash: what is requested. Never logged (its query may hold a key). */
  readonly url: string;
  /**
   * The request as messages and debug lines name it: the URL's origin and path, never its user info or query
   * string (the template loader's `hapikey` developer key travels in the query); `(an invalid URL)` when `url`
   * does not parse.
   */
  readonly shownUrl: string;
  /** The `Authorization` header: `Bearer` and the token without surrounding whitespace (as fetch trims it). */
  readonly authorization: string;
  /** The request's deadline in ms, clamped to what a timer can hold. */
  readonly timeoutMs: number;
  /**
   * Why the request cannot leave (a URL that is not http(s) or carries user info, a token a header cannot
   * carry), checked before any library sees it, so both transports refuse the same requests the same way;
   * `undefined` when it can be sent.
   */
  readonly unsendable: string | undefined;
  /** A `failure` answer whose message names the request and never contains the access token; logged at debug. */
  failure(kind: TransportFailureKind, detail: string): HttpAnswer;
  /** Writes a debug line; a logger that throws changes nothing. */
  debug(message: string, fields: Record<string, unknown>): void;
}

/**
 * Builds the {@link RequestFrame} of one request. Never throws, whatever the request holds.
 *
 * @param request - the request the engine asked for.
 * @param logger - where debug lines go. @default a no-op logger
 */
export function frameRequest(
  request: TransportRequest,
  logger: Pick<Logger, 'debug'> = silentLogger,
): RequestFrame {
  const url = joinUrl(String(request.baseUrl), String(request.path));
  const token = String(request.accessToken);
  const authorization = `Bearer ${trimHttpWhitespace(token)}`;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  // Messages name the request by origin and path only: never user info or a query string.
  const shown = parsed === undefined ? '(an invalid URL)' : `${parsed.origin}${parsed.pathname}`;
  const debug = (message: string, fields: Record<string, unknown>): void => {
    try {
      logger.debug(message, fields);
    } catch {
      // Logging is best effort: a broken sink must neither turn an answer into a failure nor make the transport reject.
    }
  };
  return {
    url,
    shownUrl: shown,
    authorization,
    timeoutMs: clampTimeout(request.timeoutMs),
    unsendable: unsendable(parsed, authorization),
    debug,
    failure(kind, detail) {
      const message = redactSecrets(`${String(request.method)} ${shown}: ${detail}`, [
        token,
        trimHttpWhitespace(token),
      ]);
      debug('transport failure', { url: shown, failure: kind, message });
      return { kind: 'failure', failure: kind, message };
    },
  };
}

/** The options both transports share, resolved. */
export interface CommonTransportSettings {
  /** Sent as `User-Agent`. @default 'hubline-sync' */
  readonly userAgent: string;
  /** The largest answer body read, in bytes; past it the answer is `body-too-large`. @default 1048576 (1 MiB) */
  readonly maxResponseBytes: number;
}

/**
 * Checks the options both transports share and fills in their defaults.
 *
 * @param options - what the app gave.
 * @param subject - the transport's options, as the error names them.
 * @param issues - problems the transport already found with its own options, reported together.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `maxResponseBytes` unless a positive safe integer,
 *   `userAgent` when a header cannot carry it, and every issue passed in.
 */
export function resolveTransportOptions(
  options: { readonly userAgent?: string | undefined; readonly maxResponseBytes?: number | undefined },
  subject: string,
  issues: ValidationIssue[] = [],
): CommonTransportSettings {
  const userAgent = options.userAgent ?? TRANSPORT_DEFAULTS.userAgent;
  if (typeof userAgent !== 'string' || UNSENDABLE_HEADER_CHARACTER.test(userAgent)) {
    issues.push({
      path: 'userAgent',
      message: 'must be a string an HTTP header can carry (no control characters)',
    });
  }
  const maxResponseBytes = options.maxResponseBytes ?? TRANSPORT_DEFAULTS.maxResponseBytes;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    issues.push({
      path: 'maxResponseBytes',
      message: `must be a positive integer, got ${String(options.maxResponseBytes)}`,
    });
  }
  if (issues.length > 0) throw new ValidationError(subject, issues);
  return { userAgent, maxResponseBytes };
}

/**
 * The detail of a `body-too-large` failure.
 *
 * @param status - the answer's HTTP status.
 * @param maxBytes - the cap.
 * @param declared - the `Content-Length` the server announced, when that alone passed the cap.
 */
export function bodyTooLargeDetail(status: number, maxBytes: number, declared?: number): string {
  const size = declared === undefined ? `more than ${maxBytes} bytes` : `${declared} bytes (Content-Length)`;
  return `the HTTP ${status} answer's body is ${size}, over maxResponseBytes (${maxBytes}); stopped reading`;
}

/**
 * The `Content-Length` a server announced when it passes `maxBytes`, so the transport can stop before reading.
 *
 * @param header - the header's value, if any.
 * @param maxBytes - the cap.
 */
export function declaredOverCap(header: string | null | undefined, maxBytes: number): number | undefined {
  if (header === null || header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  const declared = Number(header.trim());
  return declared > maxBytes ? declared : undefined;
}

function unsendable(parsed: URL | undefined, authorization: string): string | undefined {
  if (parsed === undefined) return 'the URL is not valid';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol} is not http(s)`;
  if (parsed.username !== '' || parsed.password !== '') return 'the URL carries user info';
  const bad = UNSENDABLE_HEADER_CHARACTER.exec(authorization);
  if (bad !== null) {
    const at = bad.index - 'Bearer '.length;
    return `the access token holds a character an HTTP header cannot carry (U+${codePoint(bad[0])} at index ${at})`;
  }
  return undefined;
}

function codePoint(character: string): string {
  return (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/** Leading and trailing HTTP whitespace (tab, line feed, carriage return, space), as fetch strips from header values. */
function trimHttpWhitespace(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return path.startsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

function clampTimeout(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs)) return MAX_TIMEOUT_MS;
  return Math.min(Math.max(1, Math.round(timeoutMs)), MAX_TIMEOUT_MS);
}
