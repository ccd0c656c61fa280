import { z } from 'zod';
import { withFastPath } from './fast-path.js';
import { isoTimestamp } from './iso-timestamp.js';
import { EVENT_LIMITS } from './limits.js';

const TIMESTAMP_TYPES =
  'must be a Date, epoch milliseconds, or an RFC 3339 date-time with seconds and a zone, such as 2026-11-29T12:00:00Z or 2026-11-29T13:00:00+01:00';

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MIN_MS = EVENT_LIMITS.timestampMin;
const MAX_MS = EVENT_LIMITS.timestampMax;
const MIN_ISO = new Date(EVENT_LIMITS.timestampMin).toISOString();
const MAX_ISO = new Date(EVENT_LIMITS.timestampMax).toISOString();

const OUT_OF_RANGE =
  'must be between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z (was epoch seconds passed as milliseconds?)';

const isoDateTime = z.iso.datetime({ offset: true, error: TIMESTAMP_TYPES });

/** The very pattern `isoDateTime` checks (zod's RFC 3339 date-time with a zone; it also rejects Feb 30). */
const ISO_DATE_TIME = isoDateTime._zod.def.pattern;
if (ISO_DATE_TIME === undefined) throw new Error('zod no longer exposes the ISO date-time pattern');

/** The authoritative rules: decides every input {@link timestampFastPath} does not accept outright. */
const strictTimestampSchema = z
  .union([isoDateTime, z.number(), z.date()], {
    error: TIMESTAMP_TYPES,
  })
  // One transform for range check and conversion: each extra zod step costs on the record hot path.
  .transform((value, ctx) => {
    // Already canonical (re-normalising a stored event): ISO order is time order, so compare as text.
    if (typeof value === 'string' && CANONICAL.test(value)) {
      if (value >= MIN_ISO && value < MAX_ISO) return value;
      ctx.issues.push({ code: 'custom', message: OUT_OF_RANGE, input: value });
      return z.NEVER;
    }
    if (typeof value === 'number' && !Number.isInteger(value)) {
      ctx.issues.push({ code: 'custom', message: 'epoch milliseconds must be an integer', input: value });
      return z.NEVER;
    }
    const ms =
      typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
    if (ms >= EVENT_LIMITS.timestampMin && ms < EVENT_LIMITS.timestampMax) return new Date(ms).toISOString();
    ctx.issues.push({ code: 'custom', message: OUT_OF_RANGE, input: value });
    return z.NEVER;
  });

/**
 * The normalised timestamp when {@link strictTimestampSchema} would accept `value`, else `undefined`. It
 * follows the schema branch by branch: a string must pass the same ISO pattern before the canonical shortcut,
 * a number must be an integer (hence finite), a Date must be valid (NaN fails the range test), and the range
 * and conversion are the schema's own ({@link isoTimestamp} writes what `toISOString` writes). It skips the union's per-member payloads on the record path.
 *
 * @param value - any candidate timestamp.
 */
function timestampFastPath(value: unknown): string | undefined {
  // Already canonical (re-normalising a stored event): ISO order is time order, so compare as text.
  if (typeof value === 'string' && CANONICAL.test(value) && ISO_DATE_TIME?.test(value)) {
    return value >= MIN_ISO && value < MAX_ISO ? value : undefined;
  }
  const ms = fastPathMs(value);
  return ms !== undefined && ms >= MIN_MS && ms < MAX_MS ? isoTimestamp(ms) : undefined;
}

/**
 * The instant a candidate names, in epoch ms, read as the schema reads it: an integer as it is, a Date's time (NaN
 * when invalid, which the range test refuses), an ISO date-time string parsed; `undefined` for anything the
 * schema refuses by type or form.
 */
function fastPathMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && ISO_DATE_TIME?.test(value)) return Date.parse(value);
  return undefined;
}

/**
 * When an event happened: a valid Date, integer epoch milliseconds, or a string in the RFC 3339 profile of
 * ISO 8601: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any length (cut to milliseconds), then `Z` or
 * `±HH:MM` (up to ±23:59). Seconds and the zone are required — a local time without zone would mean different
 * instants on different devices. Upper-case `T` and `Z` only; not accepted: a date alone, a time without
 * seconds, `+0200` or `+02`, week (`2026-W09-7`) or ordinal (`2026-060`) dates, the basic format
 * (`20260301T100000Z`), a space for `T`, a leap second (`:60`), `24:00`, or a signed six-digit year.
 * Normalised to ISO 8601 UTC with milliseconds (`toISOString()`), e.g. `2026-11-29T12:00:00.000Z`.
 *
 * The instant must fall in [2000-01-01, 2100-01-01): outside that window it is almost always epoch
 * *seconds* or microseconds passed where milliseconds were meant.
 */
export const timestampSchema = withFastPath(strictTimestampSchema, timestampFastPath);
