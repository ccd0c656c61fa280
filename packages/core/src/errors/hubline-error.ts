import { HublineErrorCode } from './codes.js';

/** Options every Hubline error accepts. */
export interface HublineErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

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

  constructor(code: HublineErrorCode, message: string, options: HublineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HublineError';
    this.code = code;
  }
}

/**
 * Whether `value` is a Hubline error (optionally with the given code). Works across realms and duplicate
 * package copies because it checks `code` and `name`, not the prototype chain.
 */
export function isHublineError<C extends HublineErrorCode>(
  value: unknown,
  code?: C,
): value is HublineError & { code: C } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  if (typeof candidate.name !== 'string' || !candidate.name.endsWith('Error')) return false;
  if (typeof candidate.code !== 'string') return false;
  return code === undefined ? candidate.code in HublineErrorCode : candidate.code === code;
}
