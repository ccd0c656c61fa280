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
}

/**
 * Messages HubSpot uses for an id it has seen: v1's 400 "Event ID already in use, please choose a new unique
 * ID", and the "…already exists…" of 409 bodies (one or more occurrences "already exist" in 2026-03).
 */
const ALREADY_EXISTS_MESSAGE = /\balready\s+(?:exists?|in\s+use)\b/i;

/** Sub-categories naming a duplicate; not documented by HubSpot, matched defensively. */
const ALREADY_EXISTS_SUB_CATEGORY = /ALREADY_EXISTS|DUPLICATE/i;

/**
 * Whether an answer, or one error inside a 207, says that the event's id already exists at HubSpot. Hubline's
 * ids are fixed at record time and never reused, so an existing id means HubSpot has the event because we sent
 * it before (a lost response, a crash after sending): it counts as delivered. The one place that knows every
 * shape listed in API-NOTES: status 409, category `CONFLICT`, a 400 "Event ID already in use", and any message
 * containing "already exists".
 *
 * Whether the verdict applies to one event or must be narrowed first (a 409 for a batch of many) is the
 * caller's decision.
 *
 * @param evidence - The status, category, sub-category and messages of the answer or error.
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
  return (evidence.messages ?? []).some(
    (message) => message !== undefined && ALREADY_EXISTS_MESSAGE.test(message),
  );
}
