import { z } from 'zod';

/** The account an entry belongs to when the app names none: what a single-account app records into. */
export const DEFAULT_ACCOUNT = 'default';

/** Longest account id: HubSpot portal ids are short digit strings; 64 leaves room for an app's own keys. */
const ACCOUNT_MAX_LENGTH = 64;

/** What an account id is made of: letters, digits, `.`, `_`, `:` and `-`, safe in keys, logs and URLs. */
const ACCOUNT_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** The words every refusal of an account id uses. */
export const ACCOUNT_WORDS = `must be 1 to ${ACCOUNT_MAX_LENGTH} characters of letters, digits, ".", "_", ":" or "-"`;

/**
 * Whether `value` is a usable account id: a string of 1 to 64 characters of `[A-Za-z0-9._:-]`.
 *
 * @param value - anything
 * @example
 * ```ts
 * isAccount('12345'); // true
 * isAccount('portal 1'); // false
 * ```
 */
export function isAccount(value: unknown): value is string {
  return typeof value === 'string' && value.length <= ACCOUNT_MAX_LENGTH && ACCOUNT_PATTERN.test(value);
}

/** The zod rule of `TimelineEventInput.account`. */
export const accountSchema = z.custom<string>(isAccount, ACCOUNT_WORDS);
