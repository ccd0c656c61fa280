import { canonicalJson } from './canonical-json.js';
import type { TimelineEvent } from './types.js';

/** Options of {@link sameEventContent}. */
export interface SameEventContentOptions {
  /**
   * Leave `timestamp` out of the comparison. Set it when the newer recording had no timestamp of its own
   * (see {@link hasOwnTimestamp}): its timestamp was stamped at record time, so it differing from the stored
   * one is not a change of content.
   * @default false
   */
  ignoreTimestamp?: boolean;
}

/**
 * Whether two normalised events carry the same content, regardless of key order. The outbox uses it when an
 * id is recorded again: same content → a no-op that returns the id; different content → an id conflict.
 *
 * @param a - the stored event.
 * @param b - the event being recorded again with the same id.
 * @param options - whether to ignore `timestamp`.
 * @example
 * ```ts
 * const event = normalizeEvent(input, { now, newId });
 * if (stored && !sameEventContent(stored, event, { ignoreTimestamp: !hasOwnTimestamp(input) })) {
 *   throw new IdConflictError(...);
 * }
 * ```
 */
export function sameEventContent(
  a: TimelineEvent,
  b: TimelineEvent,
  options: SameEventContentOptions = {},
): boolean {
  if (options.ignoreTimestamp === true) {
    const { timestamp: _a, ...restA } = a;
    const { timestamp: _b, ...restB } = b;
    return canonicalJson(restA) === canonicalJson(restB);
  }
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Whether a raw input states its own `timestamp` (any value other than `undefined`), as opposed to having
 * one stamped by `normalizeEvent`. Call it on the same input you normalised.
 *
 * @param input - what the app passed to `record`.
 */
export function hasOwnTimestamp(input: unknown): boolean {
  return (
    typeof input === 'object' && input !== null && (input as { timestamp?: unknown }).timestamp !== undefined
  );
}
