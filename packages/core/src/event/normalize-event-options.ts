import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { EVENT_LIMITS, NORMALIZE_DEFAULTS } from './limits.js';
import { toValidationIssues } from './validation-issues.js';

/** Options of {@link normalizeEvent}. */
export interface NormalizeEventOptions {
  /**
   * The record time, stamped as `timestamp` when the input has none: integer epoch milliseconds inside the
   * window every `timestamp` must fall in (2000-01-01 to 2100-01-01), so a clock in seconds or a zero clock is
   * refused rather than stamping 1970.
   */
  now: number;
  /** Makes the id of an input without one; called only then. Usually {@link createIdFactory}'s result. */
  newId: () => string;
  /**
   * Largest accepted event, in UTF-8 bytes of its normalised JSON, so one event can never block a batch: a
   * positive integer.
   * @default 65536 ({@link NORMALIZE_DEFAULTS.maxEventBytes})
   */
  maxEventBytes?: number;
}

const MIN_MS = EVENT_LIMITS.timestampMin;
const MAX_MS = EVENT_LIMITS.timestampMax;

const NOW_MESSAGE =
  'must be integer epoch milliseconds between 2000-01-01 and 2100-01-01 (was the clock in seconds, or zero?)';
const NEW_ID_MESSAGE = 'must be a function that returns a new id';
const MAX_EVENT_BYTES_MESSAGE = 'must be a positive integer number of bytes';

const isNow = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= MIN_MS && (value as number) < MAX_MS;
const isMaxEventBytes = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0;

/** The rules for {@link NormalizeEventOptions}; {@link checkNormalizeEventOptions} words its refusals. */
export const normalizeEventOptionsSchema = z.object(
  {
    now: z.number({ error: NOW_MESSAGE }).refine(isNow, NOW_MESSAGE),
    newId: z.custom<() => string>((value) => typeof value === 'function', NEW_ID_MESSAGE),
    maxEventBytes: z
      .number({ error: MAX_EVENT_BYTES_MESSAGE })
      .refine(isMaxEventBytes, MAX_EVENT_BYTES_MESSAGE)
      .optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) },
);

const NO_KNOWN_FIELDS = new Map<string, readonly string[]>();

/**
 * Throws unless `options` are usable: `now` an integer epoch-ms time in the `timestamp` window, `newId` a
 * function, `maxEventBytes` (when given) a positive integer. A bad option is refused on every call, not only
 * when it would be used, so a misconfigured clock shows up on the first event.
 *
 * @param options - what the caller passed to `normalizeEvent`.
 * @returns the size limit to apply.
 * @throws {@link ValidationError} naming each refused option by its path (`now`, `maxEventBytes`, `newId`).
 */
export function checkNormalizeEventOptions(options: NormalizeEventOptions): number {
  // The schema decides; this answers the common case without building zod's payloads on the record path.
  if (
    typeof options === 'object' &&
    options !== null &&
    isNow(options.now) &&
    typeof options.newId === 'function'
  ) {
    if (options.maxEventBytes === undefined) return NORMALIZE_DEFAULTS.maxEventBytes;
    if (isMaxEventBytes(options.maxEventBytes)) return options.maxEventBytes;
  }
  const result = normalizeEventOptionsSchema.safeParse(options);
  if (result.success) return result.data.maxEventBytes ?? NORMALIZE_DEFAULTS.maxEventBytes;
  throw new ValidationError(
    'normalizeEvent options',
    toValidationIssues(result.error.issues, NO_KNOWN_FIELDS),
  );
}
