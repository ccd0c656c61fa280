import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { DEFAULT_ACCOUNT } from './account.js';
import { utf8ByteLength } from './event-byte-length.js';
import { isoTimestamp } from './iso-timestamp.js';
import { checkNormalizeEventOptions, type NormalizeEventOptions } from './normalize-event-options.js';
import { TIMELINE_EVENT_INPUT_FIELDS, TIMELINE_IFRAME_FIELDS, timelineEventInputSchema } from './schema.js';
import type { TimelineEvent } from './types.js';
import { findUnreadable, unreadableMessage } from './unreadable.js';
import { formatIssuePath, type KnownFields, toValidationIssues } from './validation-issues.js';

const KNOWN_FIELDS: KnownFields = new Map<string, readonly string[]>([
  ['', TIMELINE_EVENT_INPUT_FIELDS],
  ['timelineIFrame', TIMELINE_IFRAME_FIELDS],
]);

/** The subject named in validation error messages. */
const SUBJECT = 'timeline event';

/**
 * Validates what an app records and turns it into exactly HubSpot's v3 `TimelineEvent` wire shape: ids and
 * tokens as strings, `timestamp` in ISO 8601 UTC, `extraData` copied to plain JSON, keys in a fixed order
 * (`eventTemplateId, id, tokens, objectId, email, utk, domain, customObjectTypeId, timestamp, extraData,
 * timelineIFrame`), absent optional fields omitted. A missing `id` comes from `options.newId()`, a missing
 * `timestamp` from `options.now`. Pure: the same input and options give the same output, and normalising an
 * output again returns an equal event.
 *
 * To tell whether the timestamp was stamped (for "same id, same content" checks), call
 * `hasOwnTimestamp` (from `@hubline/core/store`) on the input.
 *
 * @param input - anything; typically a {@link TimelineEventInput}.
 * @param options - the record time, the id source and the size limit.
 * @returns the normalised event.
 * @throws {@link ValidationError} listing every problem with its path (`tokens.page`,
 *   `timelineIFrame.url`, `extraData.a.b[2]`, or the root for a missing target or an oversized event); or,
 *   before the input is looked at, naming each unusable option (`now`, `newId`, `maxEventBytes`).
 * @example
 * ```ts
 * const newId = createIdFactory();
 * const event = normalizeEvent(
 *   { eventTemplateId: 1001234, email: 'ana@example.com', tokens: { page: '/pricing', seconds: 42 } },
 *   { now: Date.now(), newId },
 * );
 * // { eventTemplateId: '1001234', id: '01J…', tokens: { page: '/pricing', seconds: '42' },
 * //   email: 'ana@example.com', timestamp: '2026-11-29T12:00:00.000Z' }
 * ```
 */
export function normalizeEvent(input: unknown, options: NormalizeEventOptions): TimelineEvent {
  return normalizeEventWithJson(input, options).event;
}

/** A normalised event with the JSON text and byte size that were measured for the size limit. */
export interface NormalizedEvent {
  /** The normalised event, as {@link normalizeEvent} returns it. */
  readonly event: TimelineEvent;
  /** `JSON.stringify(event)`: store this rather than stringifying again. */
  readonly json: string;
  /** UTF-8 bytes of `json` (`eventByteLength` of the event). */
  readonly bytes: number;
  /** The account the input names, `'default'` when it names none: kept beside the event, never in it. */
  readonly account: string;
}

/**
 * {@link normalizeEvent}, also returning the JSON text and its byte size, which it computes anyway for the
 * size limit. The outbox stores `json` and accounts `bytes`, so recording serialises each event once.
 *
 * @param input - anything; typically a {@link TimelineEventInput}.
 * @param options - the record time, the id source and the size limit.
 * @throws {@link ValidationError} exactly as {@link normalizeEvent} does.
 */
export function normalizeEventWithJson(input: unknown, options: NormalizeEventOptions): NormalizedEvent {
  const maxEventBytes = checkNormalizeEventOptions(options);
  const result = parseInput(input);
  if (!result.success) {
    const cause = result.error.issues.find(hasCause)?.params.cause;
    throw new ValidationError(
      SUBJECT,
      toValidationIssues(result.error.issues, KNOWN_FIELDS),
      cause === undefined ? undefined : { cause },
    );
  }
  const parsed = result.data;
  const event: TimelineEvent = {
    eventTemplateId: parsed.eventTemplateId,
    id: parsed.id ?? options.newId(),
    tokens: parsed.tokens ?? {},
  } as TimelineEvent;
  if (parsed.objectId !== undefined) event.objectId = parsed.objectId;
  if (parsed.email !== undefined) event.email = parsed.email;
  if (parsed.utk !== undefined) event.utk = parsed.utk;
  if (parsed.domain !== undefined) event.domain = parsed.domain;
  if (parsed.customObjectTypeId !== undefined) event.customObjectTypeId = parsed.customObjectTypeId;
  event.timestamp = parsed.timestamp ?? isoTimestamp(options.now);
  if (parsed.extraData !== undefined) event.extraData = parsed.extraData;
  if (parsed.timelineIFrame !== undefined) event.timelineIFrame = parsed.timelineIFrame;

  const json = JSON.stringify(event);
  const bytes = utf8ByteLength(json);
  if (bytes > maxEventBytes) {
    throw new ValidationError(SUBJECT, [
      { path: '', message: `is ${bytes} bytes of JSON, over the limit of ${maxEventBytes} bytes` },
    ]);
  }
  return { event, json, bytes, account: parsed.account ?? DEFAULT_ACCOUNT };
}

/**
 * The schema's verdict on `input`. `tokens` and `extraData` report a getter that throws at its own path; any
 * other read that throws (a getter on the event itself or on `timelineIFrame`) would escape zod, so it is
 * caught here and located by reading the input again.
 */
function parseInput(input: unknown) {
  try {
    return timelineEventInputSchema.safeParse(input);
  } catch (error) {
    const found = findUnreadable(input, 2);
    const thrown = found?.error ?? error;
    throw new ValidationError(
      SUBJECT,
      [{ path: formatIssuePath(found?.path ?? []), message: unreadableMessage(thrown) }],
      { cause: thrown },
    );
  }
}

function hasCause(issue: z.core.$ZodIssue): issue is z.core.$ZodIssue & { params: { cause: unknown } } {
  return issue.code === 'custom' && issue.params !== undefined && 'cause' in issue.params;
}
