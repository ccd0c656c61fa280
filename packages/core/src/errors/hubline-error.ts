import { HublineErrorCode } from './codes.js';

/** Options every Hubline error accepts. */
export interface HublineErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/**
 * Marks an object built by a `HublineError` constructor. `Symbol.for` returns the same symbol in every copy of
 * this package (two versions installed side by side, a bundle and its host), where `instanceof` would not.
 */
const HUBLINE_ERROR_BRAND = Symbol.for('hubline.error');

/**
 * The base of every error Hubline raises. `code` is stable; `message` is for people.
 *
 * @example
 * ```ts
 * try { outbox.record(input); } catch (error) {
 *   if (isHublineError(error, 'VALIDATION_FAILED')) console.error(error.message);
 * }
 * ```
 */
export class HublineError extends Error {
  /** The stable code from {@link HublineErrorCode}. */
  readonly code: HublineErrorCode;

  /**
   * @param code - the stable code from {@link HublineErrorCode}.
   * @param message - what went wrong, for people; never contains a secret.
   * @param options - the underlying `cause`, if any.
   */
  constructor(code: HublineErrorCode, message: string, options: HublineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HublineError';
    this.code = code;
    // Non-enumerable, so it stays out of logs and JSON; a registered symbol, so every copy of core agrees on it.
    Object.defineProperty(this, HUBLINE_ERROR_BRAND, { value: true });
  }
}

/**
 * Whether `value` is a Hubline error (optionally with the given code). Works across duplicate package copies
 * because it checks the brand every `HublineError` constructor sets and the code table, not the prototype
 * chain; another library's error that happens to have a `code` such as `NOT_FOUND` is not mistaken for one.
 *
 * @param value - anything caught.
 * @param code - the code it must have; any code of {@link HublineErrorCode} when omitted.
 */
export function isHublineError<C extends HublineErrorCode>(
  value: unknown,
  code?: C,
): value is HublineError & { code: C } {
  if (typeof value !== 'object' || value === null) return false;
  if (!Object.hasOwn(value, HUBLINE_ERROR_BRAND)) return false;
  const candidate = (value as { code?: unknown }).code;
  if (typeof candidate !== 'string' || !Object.hasOwn(HublineErrorCode, candidate)) return false;
  return code === undefined || candidate === code;
}
