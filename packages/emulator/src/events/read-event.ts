/** An event as read off the wire, before the template rules are applied. */
export interface WireEvent {
  /** The template id (for `2026-03` occurrences, the `eventTypeName` as sent). */
  eventTemplateId: string;
  /** The event id the client chose. */
  id: string;
  /** Token values, turned to strings (for `2026-03`, the `properties`). */
  tokens: Record<string, string>;
  /** The CRM object id, as sent. */
  objectId?: string;
  /** The contact's email, as sent. */
  email?: string;
  /** The HubSpot user token, as sent. */
  utk?: string;
  /** The domain, as sent. */
  domain?: string;
  /** The custom object type id, as sent. */
  customObjectTypeId?: string;
  /** When the event happened, ISO 8601 as sent; absent when the request omitted it. */
  timestamp?: string;
  /** Free-form data for the template, as sent. */
  extraData?: Record<string, unknown>;
  /** The timeline iframe, as sent (all five fields checked present). */
  timelineIFrame?: Record<string, unknown>;
}

/** Why a request body cannot be read at all (HubSpot answers 400 for the whole request). */
export interface ShapeProblem {
  /** What is wrong, in HubSpot's wording where known. */
  readonly message: string;
  /** Where, e.g. `inputs[3].tokens.seconds`. */
  readonly in: string;
}

type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: ShapeProblem };

/** An ISO 8601 date-time as HubSpot's `Instant` binding reads it (offset required). */
export const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a scalar the way HubSpot's JSON binding does: strings as they are, numbers as their text. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const optionalFields = ['objectId', 'email', 'utk', 'domain', 'customObjectTypeId'] as const;

/** The field names of the two wire shapes: v3 `TimelineEvent` and `2026-03` `AppEventOccurrence`. */
interface WireNames {
  readonly template: string;
  readonly tokens: string;
  readonly what: string;
}

/** Thrown inside the reader at the first shape problem, and turned into `{ ok: false }` by `readEvent`. */
class ShapeFailure {
  constructor(readonly problem: ShapeProblem) {}
}

function fail(message: string, at: string): never {
  throw new ShapeFailure({ message: `Invalid input JSON: ${message}`, in: at });
}

/** The required attributes: the template, the id, and that tokens are there. */
function readRequired(
  value: Record<string, unknown>,
  at: string,
  names: WireNames,
): { templateId: string; id: string } {
  const templateId = value[names.template] == null ? undefined : scalar(value[names.template]);
  const id = value.id == null ? undefined : scalar(value.id);
  if (value[names.template] != null && templateId === undefined) {
    fail(`${names.template} must be a string`, `${at}.${names.template}`);
  }
  if (value.id != null && id === undefined) fail('id must be a string', `${at}.id`);
  const missing: string[] = [];
  if (templateId === undefined || templateId === '') missing.push(names.template);
  if (id === undefined || id === '') missing.push('id');
  if (value[names.tokens] == null) missing.push(names.tokens);
  if (missing.length > 0) {
    fail(
      `Cannot build ${names.what}, some of required attributes are not set [${missing.join(', ')}]`,
      `${at}.${missing[0]}`,
    );
  }
  return { templateId: templateId!, id: id! };
}

/** Token values, turned to strings; anything but a string, number or boolean is refused. */
function readTokens(raw: unknown, at: string): Record<string, string> {
  if (!isObject(raw)) fail(`${at.slice(at.lastIndexOf('.') + 1)} must be an object`, at);
  const tokens: Record<string, string> = {};
  for (const key in raw) {
    const value = raw[key];
    const text = typeof value === 'boolean' ? String(value) : scalar(value);
    if (text === undefined) {
      fail(`${at.slice(at.lastIndexOf('.') + 1)}.${key} must be a string, number or boolean`, `${at}.${key}`);
    }
    tokens[key] = text;
  }
  return tokens;
}

/** An ISO 8601 date-time or epoch milliseconds, echoed normalised (UTC, milliseconds) as HubSpot's `Instant` binding would. */
function readTimestamp(ts: unknown, at: string): string {
  const ms =
    typeof ts === 'number'
      ? ts
      : typeof ts === 'string' && isoDateTime.test(ts)
        ? Date.parse(ts)
        : Number.NaN;
  if (!Number.isFinite(ms)) fail('timestamp must be an ISO 8601 date-time', at);
  return new Date(ms).toISOString();
}

/** The timeline iframe: all five fields present, with their types. */
function readIFrame(frame: unknown, at: string): Record<string, unknown> {
  if (!isObject(frame)) fail('timelineIFrame must be an object', at);
  const absent = ['linkLabel', 'headerLabel', 'url', 'width', 'height'].filter((k) => frame[k] == null);
  if (absent.length > 0) {
    fail(
      `Cannot build TimelineEventIFrame, some of required attributes are not set [${absent.join(', ')}]`,
      `${at}.${absent[0]}`,
    );
  }
  for (const k of ['width', 'height'] as const) {
    if (!Number.isInteger(frame[k])) fail(`timelineIFrame.${k} must be an integer`, `${at}.${k}`);
  }
  for (const k of ['linkLabel', 'headerLabel', 'url'] as const) {
    if (typeof frame[k] !== 'string') fail(`timelineIFrame.${k} must be a string`, `${at}.${k}`);
  }
  return frame;
}

/** The optional attributes, each checked for its JSON type. */
function readOptional(value: Record<string, unknown>, event: WireEvent, at: string): void {
  for (const field of optionalFields) {
    const raw = value[field];
    if (raw == null) continue;
    const text = scalar(raw);
    if (text === undefined) fail(`${field} must be a string`, `${at}.${field}`);
    event[field] = text;
  }
  if (value.timestamp != null) event.timestamp = readTimestamp(value.timestamp, `${at}.timestamp`);
  if (value.extraData != null) {
    if (!isObject(value.extraData)) fail('extraData must be an object', `${at}.extraData`);
    event.extraData = value.extraData;
  }
  if (value.timelineIFrame != null)
    event.timelineIFrame = readIFrame(value.timelineIFrame, `${at}.timelineIFrame`);
}

/**
 * Reads one v3 `TimelineEvent` (or, with `names` for 2026-03, an `AppEventOccurrence`) from parsed JSON.
 * Fails only when the object cannot be built at all: a missing required attribute or a wrong JSON type.
 */
export function readEvent(
  value: unknown,
  at: string,
  names: WireNames = { template: 'eventTemplateId', tokens: 'tokens', what: 'TimelineEvent' },
): Read<WireEvent> {
  try {
    if (!isObject(value)) fail(`expected a ${names.what} object`, at);
    const { templateId, id } = readRequired(value, at, names);
    const tokens = readTokens(value[names.tokens], `${at}.${names.tokens}`);
    const event: WireEvent = { eventTemplateId: templateId, id, tokens };
    readOptional(value, event, at);
    return { ok: true, value: event };
  } catch (error) {
    if (error instanceof ShapeFailure) return { ok: false, problem: error.problem };
    throw error;
  }
}
