import type { LifecycleEvent } from '../../lifecycle/types.js';

/**
 * The `data` column of a lifecycle record: the event without `type` and `at`, which are columns of their own.
 * Stored once per transition of every entry, so the repeated keys are left out rather than kept twice.
 *
 * @param event - a lifecycle event
 * @returns its JSON without `type` and `at`
 */
export function encodeEventData(event: LifecycleEvent): string {
  const { type: _type, at: _at, ...rest } = event;
  return JSON.stringify(rest);
}

/**
 * A lifecycle event back from its record's columns.
 *
 * @param type - the `type` column
 * @param at - the `at` column
 * @param data - the `data` column, as {@link encodeEventData} wrote it
 */
export function decodeEvent(type: string, at: number, data: string): LifecycleEvent {
  return { type, at, ...(JSON.parse(data) as object) } as LifecycleEvent;
}
