import type { AccountLane } from './account-lane.js';
import type { FlushFacts } from './flush-waiters.js';

/**
 * What every lane's last loop found, combined for `flush()`: nothing due anywhere, a 429 holding an account that
 * has work, the first account's blocker, and the entries other engines hold.
 *
 * @param lanes - the engine's lanes
 */
export function combineLaneFacts(lanes: Iterable<AccountLane>): Omit<FlushFacts, 'totals'> {
  let nothingDue = true;
  let rateLimited = false;
  let blockedBy: FlushFacts['blockedBy'];
  let leasedElsewhere = 0;
  for (const lane of lanes) {
    const facts = lane.facts();
    if (facts === undefined) continue;
    nothingDue &&= facts.nothingDue;
    rateLimited ||= facts.rateLimited && !facts.nothingDue;
    blockedBy ??= facts.blockedBy;
    leasedElsewhere += facts.leasedElsewhere;
  }
  return { nothingDue, rateLimited, blockedBy, leasedElsewhere };
}
