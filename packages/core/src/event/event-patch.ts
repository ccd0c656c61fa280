import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { type NormalizedEvent, normalizeEventWithJson } from './normalize-event.js';
import type { TimelineEvent } from './types.js';

/** The fields a {@link TimelineEventPatch} may change, in wire order. */
const AMENDABLE_FIELDS = [
  'eventTemplateId',
  'tokens',
  'objectId',
  'email',
  'utk',
  'domain',
  'timestamp',
  'extraData',
  'timelineIFrame',
] as const;

/** The fields a patch may remove with `null`. */
const REMOVABLE: ReadonlySet<string> = new Set([
  'objectId',
  'email',
  'utk',
  'domain',
  'extraData',
  'timelineIFrame',
]);
const AMENDABLE: ReadonlySet<string> = new Set(AMENDABLE_FIELDS);

/** Why a field that is not amendable is refused. */
function notAmendable(key: string): string {
  if (key === 'id') return "cannot be amended: it is HubSpot's idempotency key, fixed at record time";
  if (key === 'account') return 'cannot be amended: an entry stays in the account it was recorded for';
  return `cannot be amended (amendable: ${AMENDABLE_FIELDS.join(', ')})`;
}

/** The patch's own problems, before the amended event is validated: its shape and its keys. */
function patchIssues(patch: unknown): ValidationIssue[] {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return [{ path: '', message: 'must be an object of the fields to change' }];
  }
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!AMENDABLE.has(key)) issues.push({ path: key, message: notAmendable(key) });
    else if (value === null && !REMOVABLE.has(key)) issues.push({ path: key, message: 'cannot be removed' });
  }
  return issues;
}

/**
 * A stored event with a patch applied, validated and normalised exactly as `record` does: the same id, every
 * field the patch gives replaced, `null` fields removed, the rest kept.
 *
 * @param previous - the event as stored
 * @param patch - what to change: a {@link TimelineEventPatch}
 * @param options - `now` (a valid record time, as `normalizeEvent` requires) and the size limit
 * @returns the amended event with its JSON, size and account (`'default'`: the caller keeps the entry's own)
 * @throws {@link ValidationError} naming each field of the patch that is not amendable, and each problem of the
 *   amended event by its path
 * @example
 * ```ts
 * applyEventPatch(stored, { tokens: { page: '/pricing' } }, { now: Date.now() }).event;
 * ```
 */
export function applyEventPatch(
  previous: TimelineEvent,
  patch: unknown,
  options: { readonly now: number; readonly maxEventBytes?: number },
): NormalizedEvent {
  const issues = patchIssues(patch);
  if (issues.length > 0) throw new ValidationError('event patch', issues);
  const amended: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(patch as object)) {
    if (value === null) delete amended[key];
    else amended[key] = value;
  }
  return normalizeEventWithJson(amended, {
    now: options.now,
    newId: () => previous.id,
    ...(options.maxEventBytes === undefined ? {} : { maxEventBytes: options.maxEventBytes }),
  });
}
