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
