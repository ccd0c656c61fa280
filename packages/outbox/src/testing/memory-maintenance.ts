import type { TemplateChecker } from '@hubline/core';
import {
  decideEvict,
  decideRequeue,
  type PreparedAmendment,
  prepareAmendment,
  type RequeueOptions,
  type RequeueTarget,
} from '@hubline/core/store';
import { append, deadCategory, type MemoryEntry } from './memory-entry.js';

/*
 * The memory store's operator tools — requeue (with an amendment), prune, discard — as functions over its
 * entries, so that the store itself stays the port.
 */

/** Whether `entry` is a dead letter that `target`'s filter (or `'all-dead'`) selects. */
function selects(
  entry: MemoryEntry,
  filter: { readonly account?: string; readonly category?: string },
): boolean {
  if (entry.state.status !== 'dead') return false;
  if (filter.account !== undefined && entry.account !== filter.account) return false;
  return filter.category === undefined || deadCategory(entry) === filter.category;
}

/**
 * The dead letters `target` names, in record order.
 *
 * @param entries - the store's entries by id
 * @param target - ids, `'all-dead'` or a filter (checked already)
 */
function deadLettersOf(entries: ReadonlyMap<string, MemoryEntry>, target: RequeueTarget): MemoryEntry[] {
  if (Array.isArray(target)) {
    return target
      .map((id) => entries.get(id))
      .filter((entry): entry is MemoryEntry => entry?.state.status === 'dead');
  }
  const filter =
    target === 'all-dead' ? {} : (target as Exclude<RequeueTarget, readonly string[] | 'all-dead'>);
  return [...entries.values()].filter((entry) => selects(entry, filter));
}

/**
 * Requeues the dead letters `target` names, amending the one it names when `options.amend` is given: the
 * amendment is validated before anything changes.
 *
 * @param entries - the store's entries by id
 * @param target - which dead letters (checked already)
 * @param options - `amend` and `by` (checked already, but for the patch)
 * @param at - the time
 * @param settings - the store's size limit and templates, for the amendment
 * @returns how many were requeued
 */
export function requeueDeadLetters(
  entries: ReadonlyMap<string, MemoryEntry>,
  target: RequeueTarget,
  options: RequeueOptions,
  at: number,
  settings: { readonly maxEventBytes: number; readonly templates: TemplateChecker },
): number {
  const chosen = deadLettersOf(entries, target);
  const amended = new Map<MemoryEntry, PreparedAmendment>();
  if (options.amend !== undefined) {
    for (const entry of chosen) {
      amended.set(entry, prepareAmendment(entry.event, options.amend, { now: at, ...settings }));
    }
  }
  for (const entry of chosen) {
    const amendment = amended.get(entry);
    const events = decideRequeue(
      entry.state,
      at,
      options.by,
      amendment === undefined ? undefined : { previous: entry.event, bytes: amendment.bytes },
    );
    if (amendment !== undefined) {
      entry.event = amendment.event;
      entry.json = amendment.json;
      entry.bytes = amendment.bytes;
    }
    append(entry, events);
  }
  return chosen.length;
}

/**
 * Deletes finished entries (delivered, evicted) last updated before `now - olderThanMs`, and dead letters dead
 * since before `now - deadOlderThanMs` when it is given.
 *
 * @param entries - the store's entries by id
 * @param now - the time
 * @param olderThanMs - the retention of finished entries
 * @param deadOlderThanMs - the retention of dead letters, if they age out
 * @returns how many were deleted
 */
export function pruneEntries(
  entries: Map<string, MemoryEntry>,
  now: number,
  olderThanMs: number,
  deadOlderThanMs: number | undefined,
): number {
  let pruned = 0;
  for (const [id, { state }] of entries) {
    const finished = state.status === 'delivered' || state.status === 'evicted';
    const agedOut =
      (finished && state.updatedAt < now - olderThanMs) ||
      (deadOlderThanMs !== undefined && state.status === 'dead' && state.updatedAt < now - deadOlderThanMs);
    if (agedOut) {
      entries.delete(id);
      pruned += 1;
    }
  }
  return pruned;
}

/**
 * Evicts an account's pending entries and dead letters (leases that ran out first end), with `reason`.
 *
 * @param entries - the store's entries
 * @param account - the account
 * @param reason - kept in each `Evicted` event
 * @param at - the time
 * @returns how many were evicted
 */
export function discardAccount(
  entries: Iterable<MemoryEntry>,
  account: string,
  reason: string,
  at: number,
): number {
  let evicted = 0;
  for (const entry of entries) {
    if (entry.account !== account) continue;
    const { status, leaseUntil } = entry.state;
    const lapsed = status === 'leased' && leaseUntil !== null && at >= leaseUntil;
    if (status !== 'pending' && status !== 'dead' && !lapsed) continue;
    append(entry, decideEvict(entry.state, at, reason));
    evicted += 1;
  }
  return evicted;
}
