// A copy of @hubline/outbox's src/decisions/capacity-reason.ts, kept word for word: every store must check and decide alike,
// and the outbox does not export it. Delete it when the storage port's shared helpers move to @hubline/core.
/**
 * Why an entry was evicted, as its `Evicted` event and `evicted$` say it.
 *
 * @param limit - the option that was reached
 * @param max - its value
 * @example
 * ```ts
 * capacityReason('maxEntries', 100_000); // 'maxEntries 100000 reached'
 * ```
 */
export function capacityReason(limit: 'maxEntries' | 'maxBytes', max: number): string {
  return `${limit} ${max} reached`;
}
