/**
 * A minimal structured logger, the one every Hubline package takes. Shaped so that `console`, pino or a thin
 * adapter over any logger fits. Hubline never passes it event content (emails, tokens) or secrets: messages
 * are fixed sentences, and fields hold ids, owners, counts, paths and durations.
 *
 * @example
 * ```ts
 * const outbox = openOutbox({ path: 'activity.db', logger: console });
 * ```
 */
export interface Logger {
  /**
   * Routine facts (opened, closed, a lease taken over).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  debug(message: string, fields?: Record<string, unknown>): void;
  /**
   * Facts worth keeping (maintenance a person asked for, a clock step handled).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  info(message: string, fields?: Record<string, unknown>): void;
  /**
   * Something worth a look that Hubline handled (entries evicted, settlements refused for lost leases).
   *
   * @param message - what happened, a fixed sentence
   * @param fields - its details
   */
  warn(message: string, fields?: Record<string, unknown>): void;
  /**
   * A failure that was also thrown or reported (a storage write failed).
   *
   * @param message - what happened
   * @param fields - its details
   */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The logger that says nothing: every package's default. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** The methods a {@link Logger} must have. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Whether `value` can serve as a {@link Logger}: an object with the four methods. For checking options.
 *
 * @param value - what the caller passed
 */
export function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return LEVELS.every((level) => typeof candidate[level] === 'function');
}
