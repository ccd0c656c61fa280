/** The part of HubSpot's window left unused when other devices share it, for one that starts meanwhile. */
const FLEET_RESERVE = 0.05;

/** What one answer's rate-limit headers say, and what this budget knew when it read them. */
export interface FleetView {
  /** `X-HubSpot-RateLimit-Max`: requests per window for the app and account. */
  readonly max: number;
  /** `X-HubSpot-RateLimit-Remaining`: left in the window when HubSpot counted the answered request. */
  readonly remaining: number;
  /** This budget's requests that HubSpot had counted by then: those sent up to the answered one, in its window. */
  readonly counted: number;
  /** This budget's requests that still count in its window, counted or not. */
  readonly mine: number;
  /** This budget's requests sent after the answered one and not answered yet: HubSpot had not counted them. */
  readonly pending: number;
}

/**
 * How many requests a budget may have in HubSpot's window while other devices and processes of the app share the
 * account (they show only as requests HubSpot counted that are not this budget's).
 *
 * `Remaining` is stale by the time it is read, and every device reads the same one, so it is shared twice over:
 * - the fleet kept sending while the answer travelled: as many requests, it is assumed, as this budget sent
 *   meanwhile (`pending`) scaled by the fleet's traffic over this budget's (`used / counted`); those are taken
 *   off what is left, with a reserve of 5 % of `max` for a device that starts between two answers;
 * - what is left then is left to every device at once: claiming all of it, N devices would spend it N times.
 *   A budget claims the share of it that it spends of the window (`counted / used`), so the claims of the
 *   whole fleet add up to what is left, whatever N is, and shrink (below what it holds, when the window is
 *   over-spent) as the window fills.
 *
 * @param view - the headers of one answer and this budget's requests around it
 * @returns the limit of this budget's requests in the window, at least 1
 */
export function fleetShare(view: FleetView): number {
  const { max, remaining, counted, mine, pending } = view;
  const used = Math.max(0, max - remaining);
  const others = used - counted;
  const reserve = Math.ceil(max * FLEET_RESERVE);
  // Alone (give or take a request counted on the way), all but the reserve: a device that starts meanwhile
  // sends its first requests before it has read any headers, and they must find room.
  if (others <= 1) return max - reserve;
  const unseen = Math.ceil((pending * used) / Math.max(counted, 1));
  const left = max - used - unseen - reserve;
  const share = Math.max(counted, 1) / Math.max(used, 1);
  return Math.max(1, mine + Math.floor(left * share));
}
