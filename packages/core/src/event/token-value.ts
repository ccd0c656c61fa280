import { z } from 'zod';
import { EVENT_LIMITS } from './limits.js';
import type { TokenValue } from './types.js';
import { hasLoneSurrogate, LONE_SURROGATE_MESSAGE } from './well-formed.js';

/**
 * Turns a token value into the string HubSpot expects. Token values travel as strings whatever the token's
 * type in the template.
 *
 * - string: unchanged.
 * - number: `String(n)` (`42` → `"42"`, `1.5` → `"1.5"`), which is how HubSpot echoes number tokens.
 * - boolean: `"true"` / `"false"`.
 * - Date: **epoch milliseconds as a decimal string** (`new Date('2026-01-01T00:00:00Z')` → `"1767225600000"`).
 *   HubSpot's timeline `date` tokens have historically taken millisecond timestamps (the v1 timeline API and
 *   its examples send them that way, and CRM date properties use epoch ms on the wire); an ISO string is not
 *   documented to work for a `date` token, a millisecond count is. Apps that want ISO text in a `string`
 *   token can pass `date.toISOString()` themselves.
 *
 * @param value - a value already checked by {@link tokenValueSchema}.
 * @returns the wire string.
 */
function toTokenString(value: TokenValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return String(value.getTime());
  }
}

/** Read once: the record path should not reach into another module's object per token. */
const MAX_TOKEN_VALUE_LENGTH = EVENT_LIMITS.tokenValueLength;

const TOKEN_VALUE_TYPES = 'must be a string, a finite number, a boolean or a valid Date';

/**
 * The wire string of `value` when {@link tokenValueSchema} would accept it, else `undefined` (the caller then
 * asks the schema itself, which says why). Each branch admits exactly what the union's member admits
 * (`z.string().max()` without half a surrogate pair, `z.number()`: finite, `z.boolean()`, `z.date()`: an `instanceof Date` whose time is not
 * NaN) and returns what {@link toTokenString} makes of it, without building zod payloads on the record path.
 *
 * @param value - any candidate token value.
 */
export function tokenStringIfValid(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_TOKEN_VALUE_LENGTH && !hasLoneSurrogate(value) ? value : undefined;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (!(value instanceof Date)) return undefined;
      const time = value.getTime();
      return Number.isNaN(time) ? undefined : String(time);
    }
    default:
      return undefined;
  }
}

/**
 * One token value: a string (at most {@link EVENT_LIMITS.tokenValueLength} characters, well-formed Unicode), a finite number, a
 * boolean or a valid Date, normalised by {@link toTokenString}.
 */
export const tokenValueSchema = z
  .union(
    [
      z
        .string()
        .max(EVENT_LIMITS.tokenValueLength, `must be at most ${EVENT_LIMITS.tokenValueLength} characters`)
        .refine((text) => !hasLoneSurrogate(text), LONE_SURROGATE_MESSAGE),
      z.number(),
      z.boolean(),
      z.date(),
    ],
    { error: TOKEN_VALUE_TYPES },
  )
  .transform(toTokenString);

/** What {@link tokenNameSchema} accepts: shared so the fast path tests the very same pattern. */
export const TOKEN_NAME_PATTERN = new RegExp(
  `^(?!__proto__$)[A-Za-z0-9._-]{1,${EVENT_LIMITS.tokenNameLength}}$`,
);

/**
 * A token name: letters, digits, `.`, `-` and `_` (HubSpot's rule), 1 to {@link EVENT_LIMITS.tokenNameLength}
 * characters. `__proto__` is refused because it cannot be a key of a plain object without changing the
 * object's prototype.
 */
export const tokenNameSchema = z
  .string()
  .regex(
    TOKEN_NAME_PATTERN,
    `token names use only letters, digits, ".", "-" and "_" (1 to ${EVENT_LIMITS.tokenNameLength} characters)`,
  );
