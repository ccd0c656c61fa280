import type { TransportFailureKind } from '@hubline/core';

/** System and undici codes that mean no connection was made, so nothing reached the server. */
const OFFLINE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes that mean a connection broke while the request or its answer was in flight: outcome unknown. */
const RESET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Messages undici and node:http use for a broken connection when no code survives the wrapping. */
const RESET_MESSAGES: readonly RegExp[] = [/socket hang up/i, /other side closed/i, /^terminated$/i];

/** What the classifier found: the failure kind and a short description of the innermost cause. */
export interface ClassifiedFetchError {
  /** `offline` when no connection was made (nothing reached the server), else `reset` (it may have). */
  readonly failure: TransportFailureKind;
  /** The innermost cause's message and code, e.g. `other side closed (UND_ERR_SOCKET)`. */
  readonly detail: string;
  /** False when nothing in the chain was a known network error, so `reset` is only the cautious guess. */
  readonly recognised: boolean;
}

/**
 * Maps a rejection of `fetch` (or of reading a response body) to a transport failure kind.
 *
 * Node's fetch wraps network errors as `TypeError: fetch failed` (or `terminated` while a body is read) and
 * hangs the system error on `cause`, sometimes on `cause.cause`, so the whole chain is walked. A connection
 * that could not be opened is `offline` (nothing was sent); anything else that breaks mid-flight, or that is
 * not recognised, is `reset`, the kind that assumes the server may have acted on the request.
 *
 * @param error - whatever `fetch` or `response.text()` rejected with.
 */
export function classifyFetchError(error: unknown): ClassifiedFetchError {
  const chain = causeChain(error);
  const detail = describe(chain);
  if (chain.some((link) => OFFLINE_CODES.has(codeOf(link) ?? ''))) {
    return { failure: 'offline', detail, recognised: true };
  }
  const recognised = chain.some(
    (link) =>
      RESET_CODES.has(codeOf(link) ?? '') || RESET_MESSAGES.some((pattern) => pattern.test(messageOf(link))),
  );
  return { failure: 'reset', detail, recognised };
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  // Bounded: a cause cycle must not hang the transport.
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return typeof value === 'string' ? value : '';
}

/** The innermost message (the most specific), with the first code found if the message lacks it. */
function describe(chain: readonly unknown[]): string {
  const message =
    [...chain]
      .reverse()
      .map(messageOf)
      .find((text) => text.length > 0) ?? 'unknown network error';
  const code = chain.map(codeOf).find((value) => value !== undefined);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}
