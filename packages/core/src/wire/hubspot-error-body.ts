/**
 * What Hubline reads from a HubSpot error body (top-level `Error`, a 429 body, or a 207 `StandardError`).
 * Every field is optional because bodies may be partial, HTML or empty.
 */
export interface HubSpotErrorBody {
  /** `category`, e.g. `VALIDATION_ERROR`, `CONFLICT`, `EXPIRED_AUTHENTICATION`. */
  readonly category?: string;
  /** `subCategory`, when it is a string. */
  readonly subCategory?: string;
  /** `message`; for a body that is not JSON, a short excerpt of its text. */
  readonly message?: string;
  /** `policyName` of a 429 body, e.g. `TEN_SECONDLY_ROLLING` or `DAILY`. */
  readonly policyName?: string;
  /** `errorType` of a 429 body, e.g. `RATE_LIMIT`. */
  readonly errorType?: string;
  /** Whether the body was JSON at all. */
  readonly isJson: boolean;
}

/** Longest excerpt of a non-JSON body kept in a reason; proxies answer with whole HTML pages. */
const EXCERPT_LENGTH = 200;

/**
 * How much of a body an excerpt reads. Removing tags from megabytes of `<` would take minutes (each unclosed `<`
 * scans to the end), and a reason never shows more than {@link EXCERPT_LENGTH} characters anyway.
 */
const EXCERPT_SOURCE_LENGTH = 4_096;

/**
 * Parse `text` as JSON without throwing.
 *
 * @param text - A response body, possibly empty, HTML or truncated.
 * @returns The parsed value, or `undefined` when the text is not JSON.
 */
export function parseJsonSafely(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a string, else `undefined`. */
export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a parsed body is one of HubSpot's JSON error objects: a JSON object with a string `category` and a
 * string `message`, the two fields every HubSpot `Error` and `StandardError` carries. A proxy's JSON (`{"error":
 * "Not Found"}`) is not, so it cannot pass for HubSpot's verdict.
 *
 * @param value - A parsed response body.
 */
export function isHubSpotErrorObject(value: unknown): value is Record<string, unknown> {
  return isJsonObject(value) && typeof value.category === 'string' && typeof value.message === 'string';
}

/**
 * Read HubSpot's error fields from a response body of any shape.
 *
 * @param body - The raw response body.
 * @returns The fields found; for a non-JSON body only `message` (a whitespace-collapsed excerpt, tags removed).
 */
export function readHubSpotErrorBody(body: string): HubSpotErrorBody {
  const parsed = parseJsonSafely(body);
  if (parsed !== undefined && !isJsonObject(parsed)) return { isJson: true };
  if (parsed === undefined) {
    const excerpt = textExcerpt(body);
    return excerpt === '' ? { isJson: false } : { isJson: false, message: excerpt };
  }
  return readErrorObject(parsed);
}

/**
 * Read HubSpot's error fields from an already parsed error object (a `StandardError` of a 207, or a
 * top-level `Error`).
 *
 * @param value - The parsed object.
 */
export function readErrorObject(value: Record<string, unknown>): HubSpotErrorBody {
  return withoutUndefined({
    isJson: true,
    category: stringField(value.category),
    subCategory: stringField(value.subCategory),
    message: stringField(value.message),
    policyName: stringField(value.policyName),
    errorType: stringField(value.errorType),
  });
}

/**
 * A short, single-line excerpt of a body for a human-readable reason.
 *
 * @param text - Any text, typically an HTML error page.
 */
export function textExcerpt(text: string): string {
  const collapsed = text
    .slice(0, EXCERPT_SOURCE_LENGTH)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return collapsed.length > EXCERPT_LENGTH ? `${collapsed.slice(0, EXCERPT_LENGTH)}…` : collapsed;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
