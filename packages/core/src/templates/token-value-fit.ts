import type { TemplateToken } from './types.js';

/** How `date` tokens are judged: see {@link TemplateCatalogOptions.dateTokens}. */
export type DateTokenFormat = 'epoch-ms' | 'epoch-ms-or-iso';

/**
 * A decimal number as HubSpot's JSON binding parses one: an optional minus, digits with an optional fraction (or
 * a fraction alone), an optional exponent. Every finite JavaScript number's `String()` matches.
 */
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Whole milliseconds since 1970, as `toTokenString` writes a Date: at most 16 digits, so always a safe integer. */
const EPOCH_MS = /^-?\d{1,16}$/;
/** An ISO 8601 calendar date, `2026-03-01`. */
const ISO_DATE = /^\d{4}-\d\d-\d\d$/;
/** An RFC 3339 date-time with a zone, `2026-03-01T10:00:00Z`, `2026-03-01T10:00:00.5+01:00`. */
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** A precompiled token: its declaration and, for an enumeration, its option values. */
export interface CompiledToken {
  /** The token as declared. */
  readonly token: TemplateToken;
  /** The allowed values of an enumeration; `undefined` for other types. */
  readonly values: ReadonlySet<string> | undefined;
}

/**
 * Prepares a token for {@link tokenValueProblem}.
 *
 * @param token - a checked template token.
 */
export function compileToken(token: TemplateToken): CompiledToken {
  return {
    token,
    values: token.type === 'enumeration' ? new Set(token.options.map((option) => option.value)) : undefined,
  };
}

/**
 * Why `value` does not fit the token's type, or `undefined` when it does.
 *
 * - `string`: any value (its length and Unicode were checked when the event was normalised).
 * - `number`: a finite decimal (`42`, `-1.5`, `2e3`).
 * - `date`: integer epoch milliseconds, HubSpot's documented format for date tokens ("All dates must be in
 *   milliseconds in Unix time"), which is what a `Date` token value becomes on record; with `epoch-ms-or-iso`
 *   also an ISO 8601 date or an RFC 3339 date-time with a zone.
 * - `enumeration`: exactly one of the option values.
 *
 * @param compiled - the token, from {@link compileToken}.
 * @param value - the event's value for it, as normalised (always a string).
 * @param dates - how `date` values are judged.
 */
export function tokenValueProblem(
  compiled: CompiledToken,
  value: string,
  dates: DateTokenFormat,
): string | undefined {
  switch (compiled.token.type) {
    case 'number':
      return DECIMAL.test(value) && Number.isFinite(Number(value))
        ? undefined
        : 'must be a finite decimal number (such as 42, -1.5 or 2e3): the template declares a number token';
    case 'date':
      return isDateValue(value, dates)
        ? undefined
        : dates === 'epoch-ms'
          ? 'must be epoch milliseconds (an integer such as 1767225600000; a Date is converted on record): the template declares a date token'
          : 'must be epoch milliseconds, an ISO date (2026-03-01) or an ISO date-time with a zone: the template declares a date token';
    case 'enumeration':
      return compiled.values?.has(value) ? undefined : `must be one of ${listOptions(compiled.token)}`;
    default:
      return undefined;
  }
}

function isDateValue(value: string, dates: DateTokenFormat): boolean {
  if (EPOCH_MS.test(value)) return true;
  if (dates === 'epoch-ms') return false;
  return (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) && Number.isFinite(Date.parse(value));
}

/** The first options, quoted, so a long enumeration does not flood the message. */
function listOptions(token: TemplateToken): string {
  const shown = token.options.slice(0, 10).map((option) => JSON.stringify(option.value));
  const more = token.options.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}
