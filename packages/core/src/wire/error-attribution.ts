import { escapeRegExp } from './escape-reg-exp.js';
import { isJsonObject, stringField } from './hubspot-error-body.js';
import { scannedPart } from './scanned-text.js';

/** Context keys under which an error may name the events it is about (compared lower-case, letters only). */
const ID_CONTEXT_KEYS = new Set(['id', 'ids', 'eventid', 'eventids', 'occurrenceid', 'occurrenceids']);

/** Longer keys cannot be one of {@link ID_CONTEXT_KEYS}, however written; not worth normalising. */
const LONGEST_ID_CONTEXT_KEY = 32;

/**
 * Ids shorter than this are too likely to appear by accident in a message ("line 1, column 77"), so they are
 * attributed from a message only when quoted or written after the word "id".
 */
const SHORT_ID_LENGTH = 8;

/** Which events one error of a batch answer is about. */
export interface Attribution {
  /** The sent ids it names, each once. */
  readonly ids: readonly string[];
  /** Whether it names event ids in its context, none of them sent: it is about someone else's events. */
  readonly namesOthers: boolean;
}

/**
 * The sent ids an error names: in its `context` or its details' contexts (keys such as `id`, `ids`, `eventId`),
 * its own `id` field, or else in its messages (an id standing alone; a short id only when quoted or labelled).
 *
 * @param error - One parsed error object of a batch answer (or a whole error body).
 * @param sentIds - The ids sent.
 */
export function attributeError(error: Record<string, unknown>, sentIds: ReadonlySet<string>): Attribution {
  const named = new Set<string>();
  let namesOthers = false;
  for (const context of [error.context, ...detailObjects(error).map((detail) => detail.context)]) {
    if (isJsonObject(context) && collectContextIds(context, sentIds, named)) namesOthers = true;
  }
  // `id` is the error's own id in HubSpot's schema; it attributes only when it is one of ours.
  const ownId = stringField(error.id);
  if (ownId !== undefined && sentIds.has(ownId)) named.add(ownId);
  if (named.size > 0) return { ids: [...named], namesOthers };
  return { ids: mentionedIds(error, sentIds), namesOthers };
}

/**
 * Adds to `named` the sent ids a context names under an id key (`id`, `ids`, `eventId`, …, a string or a list).
 *
 * @returns Whether it also names ids that were not sent.
 */
function collectContextIds(
  context: Record<string, unknown>,
  sentIds: ReadonlySet<string>,
  named: Set<string>,
): boolean {
  let namesOthers = false;
  for (const key of Object.keys(context)) {
    if (!isIdContextKey(key)) continue;
    for (const id of stringsUnder(context[key])) {
      if (sentIds.has(id)) named.add(id);
      else namesOthers = true;
    }
  }
  return namesOthers;
}

/** Whether a context key is one of {@link ID_CONTEXT_KEYS}, whatever its case and separators. */
function isIdContextKey(key: string): boolean {
  return (
    key.length <= LONGEST_ID_CONTEXT_KEY && ID_CONTEXT_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ''))
  );
}

/** The strings a context value holds: itself, or the items of a list. */
function stringsUnder(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/** The sent ids an error's messages mention, in the order they were sent. */
function mentionedIds(error: Record<string, unknown>, sentIds: ReadonlySet<string>): string[] {
  const messages = errorMessages(error).map(scannedPart);
  return [...sentIds].filter((id) => messages.some((message) => mentionsId(message, id)));
}

/**
 * An error's message and its details' messages, in order.
 *
 * @param error - A parsed error object.
 */
export function errorMessages(error: Record<string, unknown>): string[] {
  const own = stringField(error.message);
  const details = detailMessages(error);
  return own === undefined ? details : [own, ...details];
}

/**
 * The messages of an error's `errors[]` details.
 *
 * @param error - A parsed error object.
 */
export function detailMessages(error: Record<string, unknown>): string[] {
  const messages: string[] = [];
  for (const detail of detailObjects(error)) {
    const message = stringField(detail.message);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

function detailObjects(error: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(error.errors) ? error.errors.filter(isJsonObject) : [];
}

function mentionsId(message: string, id: string): boolean {
  // Cheap and usually decisive: most messages do not contain the id at all.
  if (id === '' || !message.includes(id)) return false;
  const escaped = escapeRegExp(id);
  if (id.length >= SHORT_ID_LENGTH) {
    return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`).test(message);
  }
  const quotedOrLabelled = new RegExp(
    // `\s*(?:[:=]\s*)?` rather than `\s*[:=]?\s*`: two adjacent `\s*` backtrack quadratically over long blanks.
    `(?:["'\`]${escaped}["'\`])|(?:\\bids?\\s*(?:[:=]\\s*)?${escaped}(?![A-Za-z0-9_-]))`,
    'i',
  );
  return quotedOrLabelled.test(message);
}
