import { type TimelineEvent, type TimelineEventInput, ValidationError } from '@hubline/core';
import {
  type ClaimedEntry,
  type EntryState,
  evolve,
  type LifecycleEvent,
  normalizeEventWithJson,
  type StoredEntry,
} from '@hubline/core/store';

/** One entry of the memory store: the event as stored, its log, and the fold of that log. */
export interface MemoryEntry {
  /** The entry's id. */
  readonly id: string;
  /** Record order. */
  readonly rk: number;
  /** The account it belongs to. */
  readonly account: string;
  /** The normalised event (replaced when a dead letter is amended). */
  event: TimelineEvent;
  /** `JSON.stringify(event)`. */
  json: string;
  /** UTF-8 size of `json`. */
  bytes: number;
  /** The fold of `log`. */
  state: EntryState;
  /** The lifecycle log. */
  readonly log: LifecycleEvent[];
}

/**
 * The entry as `get` returns it: a copy, so that a test holding it sees what was, not what is.
 *
 * @param entry - the entry
 */
export function toStored(entry: MemoryEntry): StoredEntry {
  return { id: entry.id, account: entry.account, event: entry.event, ...entry.state };
}

/**
 * The entry as `claim` hands it out.
 *
 * @param entry - the entry, just leased
 */
export function toClaimed(entry: MemoryEntry): ClaimedEntry {
  const { state } = entry;
  return {
    id: entry.id,
    account: entry.account,
    event: entry.event,
    json: entry.json,
    attempts: state.attempts,
    bytes: entry.bytes,
    recordedAt: state.recordedAt,
    leaseUntil: state.leaseUntil!,
    inDoubt: state.inDoubt,
  };
}

/**
 * The input of one seeded event: template `1001`, email `seed@example.com`, and, when `bytes` is given, a `pad` token long
 * enough that the stored JSON is exactly `bytes` long.
 *
 * @param id - the entry's id
 * @param bytes - the size asked for, if any
 * @param now - the record time (it decides the stamped timestamp, hence the size)
 * @param maxEventBytes - the store's size limit
 * @throws {@link ValidationError} naming `bytes` when no event of that size can be built
 */
export function seedInput(
  id: string,
  bytes: number | undefined,
  now: number,
  maxEventBytes: number,
): TimelineEventInput {
  const base: TimelineEventInput = { id, eventTemplateId: '1001', email: 'seed@example.com', tokens: {} };
  if (bytes === undefined) return base;
  const options = { now, newId: () => id, maxEventBytes: Number.MAX_SAFE_INTEGER };
  const padded = (pad: string): TimelineEventInput => ({ ...base, tokens: { pad } });
  const smallest = normalizeEventWithJson(padded(''), options).bytes;
  if (!(Number.isSafeInteger(bytes) && bytes >= smallest && bytes <= maxEventBytes)) {
    throw new ValidationError('seed', [
      { path: 'bytes', message: `must be a whole number from ${smallest} to ${maxEventBytes}, got ${bytes}` },
    ]);
  }
  return padded('x'.repeat(bytes - smallest));
}

/**
 * Appends events to an entry's log, through core's `evolve`.
 *
 * @param entry - the entry
 * @param events - what to append
 */
export function append(entry: MemoryEntry, events: readonly LifecycleEvent[]): void {
  for (const event of events) {
    entry.state = evolve(entry.state, event);
    entry.log.push(event);
  }
}

/**
 * When an entry may next be claimed; `Infinity` once it never will.
 *
 * @param state - the entry's state
 */
export function dueAt(state: EntryState): number {
  if (state.status === 'pending') return state.nextAttemptAt;
  if (state.status === 'leased') return state.leaseUntil ?? Number.POSITIVE_INFINITY;
  return Number.POSITIVE_INFINITY;
}

/**
 * The bytes of some entries or events.
 *
 * @param entries - anything with a size
 */
export function sumBytes(entries: readonly { readonly bytes: number }[]): number {
  return entries.reduce((sum, entry) => sum + entry.bytes, 0);
}

/**
 * Whether an entry may be claimed at `at`.
 *
 * @param state - the entry's state
 * @param at - the claim time
 */
export function isDue(state: EntryState, at: number): boolean {
  return dueAt(state) <= at;
}

/**
 * The category of a dead letter's last `DeadLettered` event, or `undefined`.
 *
 * @param entry - the entry
 */
export function deadCategory(entry: MemoryEntry): string | undefined {
  for (let index = entry.log.length - 1; index >= 0; index--) {
    const event = entry.log[index]!;
    if (event.type === 'DeadLettered') return event.category;
  }
  return undefined;
}
