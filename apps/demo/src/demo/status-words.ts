import type { SyncStatus } from '@hubline/sync';
import type { StatusView } from './snapshot.js';

/** HubSpot's rate-limit policies, as a person would put them. */
const POLICY_WORDS: Readonly<Record<string, string>> = {
  TEN_SECONDLY_ROLLING: 'more than its 10-second budget',
  SECONDLY: 'more than its per-second budget',
  DAILY: 'more than its daily budget',
};

/**
 * The engine's status in the words the terminal and the dashboard show. The engine speaks to programmers (its
 * offline reason names its `online$` input); the demo knows why it is offline — it cut the network itself — and
 * says so.
 *
 * @param status - `engine.status$`'s latest value
 * @param networkUp - whether the demo's simulated network is up
 */
export function describeStatus(status: SyncStatus, networkUp: boolean): StatusView {
  const base = { state: status.state, ...(status.until === undefined ? {} : { until: status.until }) };
  if (status.state === 'offline' && !networkUp) {
    return { ...base, reason: 'the network is down; new events wait in the outbox on disk' };
  }
  const policy =
    status.state === 'rate-limited' ? /429 \(([A-Z_]+)\)/.exec(status.reason ?? '')?.[1] : undefined;
  if (policy !== undefined) {
    return {
      ...base,
      reason: `HubSpot answered 429 (${POLICY_WORDS[policy] ?? policy}); every request waits for the window`,
    };
  }
  return status.reason === undefined ? base : { ...base, reason: status.reason };
}
