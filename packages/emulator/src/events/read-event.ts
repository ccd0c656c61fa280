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

/**
 * Reads one v3 `TimelineEvent` (or, with `names` for 2026-03, an `AppEventOccurrence`) from parsed JSON.
 * Fails only when the object cannot be built at all: a missing required attribute or a wrong JSON type.
 */
export function readEvent(
  value: unknown,
  at: string,
  names: { readonly template: string; readonly tokens: string; readonly what: string } = {
    template: 'eventTemplateId',
    tokens: 'tokens',
    what: 'TimelineEvent',
  },
): Read<WireEvent> {
  if (!isObject(value)) return fail(`Invalid input JSON: expected a ${names.what} object`, at);
  const missing: string[] = [];
  const templateId = value[names.template] == null ? undefined : scalar(value[names.template]);
  const id = value.id == null ? undefined : scalar(value.id);
  if (value[names.template] != null && templateId === undefined) {
    return fail(`Invalid input JSON: ${names.template} must be a string`, `${at}.${names.template}`);
  }
  if (value.id != null && id === undefined)
    return fail('Invalid input JSON: id must be a string', `${at}.id`);
  if (templateId === undefined || templateId === '') missing.push(names.template);
  if (id === undefined || id === '') missing.push('id');
  if (value[names.tokens] == null) missing.push(names.tokens);
  if (missing.length > 0) {
    return fail(
      `Invalid input JSON: Cannot build ${names.what}, some of required attributes are not set [${missing.join(', ')}]`,
      `${at}.${missing[0]}`,
    );
  }
  const rawTokens = value[names.tokens];
  if (!isObject(rawTokens))
    return fail(`Invalid input JSON: ${names.tokens} must be an object`, `${at}.${names.tokens}`);
  const tokens: Record<string, string> = {};
  for (const key in rawTokens) {
    const raw = rawTokens[key];
    const text = typeof raw === 'boolean' ? String(raw) : scalar(raw);
    if (text === undefined) {
      return fail(
        `Invalid input JSON: ${names.tokens}.${key} must be a string, number or boolean`,
        `${at}.${names.tokens}.${key}`,
      );
    }
    tokens[key] = text;
  }
  const event: WireEvent = { eventTemplateId: templateId!, id: id!, tokens };
  for (const field of optionalFields) {
    const raw = value[field];
    if (raw == null) continue;
    const text = scalar(raw);
    if (text === undefined) return fail(`Invalid input JSON: ${field} must be a string`, `${at}.${field}`);
    event[field] = text;
  }
  if (value.timestamp != null) {
    const ts = value.timestamp;
    const ms =
      typeof ts === 'number'
        ? ts
        : typeof ts === 'string' && isoDateTime.test(ts)
          ? Date.parse(ts)
          : Number.NaN;
    if (!Number.isFinite(ms)) {
      return fail('Invalid input JSON: timestamp must be an ISO 8601 date-time', `${at}.timestamp`);
    }
    // Echoed normalised (UTC, milliseconds), as HubSpot's Instant binding would.
    event.timestamp = new Date(ms).toISOString();
  }
  if (value.extraData != null) {
    if (!isObject(value.extraData))
      return fail('Invalid input JSON: extraData must be an object', `${at}.extraData`);
    event.extraData = value.extraData;
  }
  if (value.timelineIFrame != null) {
    const frame = value.timelineIFrame;
    if (!isObject(frame))
      return fail('Invalid input JSON: timelineIFrame must be an object', `${at}.timelineIFrame`);
    const absent = ['linkLabel', 'headerLabel', 'url', 'width', 'height'].filter((k) => frame[k] == null);
    if (absent.length > 0) {
      return fail(
        `Invalid input JSON: Cannot build TimelineEventIFrame, some of required attributes are not set [${absent.join(', ')}]`,
        `${at}.timelineIFrame.${absent[0]}`,
      );
    }
    for (const k of ['width', 'height'] as const) {
      if (!Number.isInteger(frame[k])) {
        return fail(
          `Invalid input JSON: timelineIFrame.${k} must be an integer`,
          `${at}.timelineIFrame.${k}`,
        );
      }
    }
    for (const k of ['linkLabel', 'headerLabel', 'url'] as const) {
      if (typeof frame[k] !== 'string') {
        return fail(`Invalid input JSON: timelineIFrame.${k} must be a string`, `${at}.timelineIFrame.${k}`);
      }
    }
    event.timelineIFrame = frame;
  }
  return { ok: true, value: event };
}

function fail(message: string, at: string): { ok: false; problem: ShapeProblem } {
  return { ok: false, problem: { message, in: at } };
}
