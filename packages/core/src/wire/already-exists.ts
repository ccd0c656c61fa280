import { escapeRegExp } from './escape-reg-exp.js';
import { scannedPart } from './scanned-text.js';

/** The parts of an answer or of one error that can say "this event already exists". */
export interface AlreadyExistsEvidence {
  /** HTTP status of the answer (for a whole-answer verdict) or the error's own `status` field. */
  readonly status?: number | string;
  /** HubSpot's `category`, e.g. `CONFLICT`. */
  readonly category?: string;
  /** HubSpot's `subCategory`, when a string. */
  readonly subCategory?: string;
  /** HubSpot's message, and any detail messages. */
  readonly messages?: readonly (string | undefined)[];
  /** The ids of the events sent that the evidence is about; a message saying one of them exists counts. */
  readonly ids?: readonly string[];
}

/** "already exists", "already exist", "already in use", "is already in use". */
const ALREADY = String.raw`\s+(?:is\s+)?already\s+(?:exists?|in\s+use)\b`;

/**
 * Messages saying that an event's id is taken, as HubSpot words them: v1's 400 "Event ID already in use, please
 * choose a new unique ID", 409 bodies' "An event with id 01J… already exists", 2026-03's "One or more
 * occurrences already exist" / "2 occurrence(s) already exist", "id already exists". The phrase must follow
 * the event, the occurrence or the id — optionally naming the id (quoted, or a token with a digit, as ULIDs
 * have) — so that "Property \"page\" already exists on template" or "Event template already exists" is not
 * mistaken for a delivered event.
 */
const ALREADY_EXISTS_MESSAGE = new RegExp(
  String.raw`\b(?:(?:event|occurrence)(?:s|\(s\))?(?:\s*ids?)?|ids?)(?!\w)` +
    // The unquoted id is read atomically (a lookahead capture, then its back-reference): a plain
    // `[\w…]*\d[\w…]*` backtracks quadratically over a long run of word characters, minutes for a megabyte.
    String.raw`(?:\s+(?:with\s+(?:the\s+|this\s+)?ids?\s+)?(?:["'\`][^"'\`]{1,128}["'\`]|(?=[\w.:…-]*\d)(?=([\w.:…-]+))\1))?` +
    ALREADY,
  'i',
);

/**
 * Sub-categories naming a duplicate event, object or id; not documented by HubSpot, matched defensively. The last
 * dotted segment must be about the thing sent (`OBJECT_ALREADY_EXISTS`, `DUPLICATE_EVENT_ID`, `EVENT_ID_CONFLICT`),
 * so that `DUPLICATE_PROPERTY` or `TEMPLATE_ALREADY_EXISTS` stays a refusal.
 */
const ALREADY_EXISTS_SUB_CATEGORY =
  /(?:^|\.)(?:(?:OBJECT|EVENT|OCCURRENCE|RECORD)_)?(?:ID_)?(?:ALREADY_EXISTS|DUPLICATE(?:_(?:OBJECT|EVENT|OCCURRENCE|RECORD))?(?:_IDS?)?|CONFLICT)$/i;

/**
 * Whether an answer, or one error inside a 207, says that the event's id already exists at HubSpot. Hubline's
 * ids are fixed at record time and never reused, so an existing id means HubSpot has the event because we sent
 * it before (a lost response, a crash after sending): it counts as delivered. The one place that knows every
 * shape HubSpot's APIs (v3, `2026-03`, v1) are known to give: status 409, category `CONFLICT`, a 400 "Event ID
 * already in use", and a message saying that the event, the occurrence or the id "already exists" (or one of
 * `ids` does). Because a false yes loses an event silently, "already exists" about anything else (a property, a
 * template) does not count.
 *
 * Whether the verdict applies to one event or must be narrowed first (a 409 for a batch of many) is the
 * caller's decision.
 *
 * @param evidence - The status, category, sub-category and messages of the answer or error, and the ids sent
 *   that it is about.
 * @returns `true` when the evidence says the id already exists.
 *
 * @example
 * ```ts
 * isAlreadyExists({ status: 400, messages: ['Event ID already in use, please choose a new unique ID'] }); // true
 * ```
 */
export function isAlreadyExists(evidence: AlreadyExistsEvidence): boolean {
  if (evidence.status === 409 || evidence.status === '409') return true;
  if (evidence.category?.toUpperCase() === 'CONFLICT') return true;
  if (evidence.subCategory !== undefined && ALREADY_EXISTS_SUB_CATEGORY.test(evidence.subCategory))
    return true;
  const messages: string[] = [];
  for (const message of evidence.messages ?? []) {
    if (typeof message === 'string') messages.push(scannedPart(message));
  }
  if (messages.some((message) => ALREADY_EXISTS_MESSAGE.test(message))) return true;
  return (evidence.ids ?? []).some((id) => {
    // Most messages do not contain the id at all: skip building its pattern for them.
    const candidates = messages.filter((message) => message.includes(id));
    if (candidates.length === 0) return false;
    const named = idAlreadyExists(id);
    return candidates.some((message) => named.test(message));
  });
}

/** "<id> already exists", the id optionally quoted and standing alone (not part of a longer token). */
function idAlreadyExists(id: string): RegExp {
  const escaped = escapeRegExp(id);
  return new RegExp(String.raw`(?<![\w-])["'\`]?${escaped}["'\`]?` + ALREADY, 'i');
}
