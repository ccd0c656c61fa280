/** The simulated network's outages during a run, for the final report. */
export interface OutageSummary {
  /** How many times the network went down (by schedule or by hand). */
  readonly outages: number;
  /** Total time spent down, in ms, counting an outage still under way. */
  readonly offlineMs: number;
}

/** Counts outages from the network's changes; every time arrives with the change, so it needs no clock. */
export interface OutageLog {
  /** Note the network's state at `at` (epoch ms); repeating the current state changes nothing. */
  observe(online: boolean, at: number): void;
  /** The outages so far, an open one counted up to `now`. */
  summary(now: number): OutageSummary;
}

/**
 * An empty outage log; the network starts up.
 *
 * @example
 * ```ts
 * const log = createOutageLog();
 * log.observe(false, 1000);
 * log.observe(true, 4000);
 * log.summary(5000); // { outages: 1, offlineMs: 3000 }
 * ```
 */
export function createOutageLog(): OutageLog {
  let outages = 0;
  let offlineMs = 0;
  let offlineSince: number | undefined;
  return {
    observe(online, at) {
      if (!online && offlineSince === undefined) {
        outages += 1;
        offlineSince = at;
      } else if (online && offlineSince !== undefined) {
        offlineMs += at - offlineSince;
        offlineSince = undefined;
      }
    },
    summary(now) {
      return { outages, offlineMs: offlineMs + (offlineSince === undefined ? 0 : now - offlineSince) };
    },
  };
}
