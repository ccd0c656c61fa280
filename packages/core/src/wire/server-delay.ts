/**
 * Shortest wait taken from a delay the server states (`Retry-After`, `X-HubSpot-RateLimit-Interval-Milliseconds`):
 * one second. `Retry-After: 0` or an interval of 0 would otherwise send every engine sharing the budget straight
 * back, a retry storm against a server that has just said "not now"; one second is HubSpot's shortest window
 * (the `SECONDLY` policy).
 */
export const SERVER_DELAY_FLOOR_MS = 1_000;

/**
 * Longest wait taken from a delay the server states: 24 hours, the longest any HubSpot budget (`DAILY`) can take
 * to reset. A larger value is a misread or a broken proxy, and honouring it would park events for years.
 */
export const SERVER_DELAY_CAP_MS = 24 * 60 * 60_000;

/**
 * A server-stated delay brought within [{@link SERVER_DELAY_FLOOR_MS}, {@link SERVER_DELAY_CAP_MS}].
 *
 * @param delayMs - the delay read from the answer, if any.
 * @returns the bounded delay, or `undefined` when there was none.
 */
export function boundServerDelay(delayMs: number | undefined): number | undefined {
  return delayMs === undefined
    ? undefined
    : Math.min(SERVER_DELAY_CAP_MS, Math.max(SERVER_DELAY_FLOOR_MS, delayMs));
}
