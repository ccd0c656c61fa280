import type { DemoSnapshot } from '../demo/snapshot.js';
import { formatCount } from './format-numbers.js';

/**
 * The counters of a snapshot on one line, for logs and non-TTY output.
 *
 * @param snapshot - the moment to describe
 * @example
 * ```ts
 * formatStatusLine(snapshot);
 * // '[12.5s] recorded 1,250 | pending 40 | in flight 100 | delivered 1,110 | dead 0 | requests 38 | 429s 0 | 96.5/s | sending | network up'
 * ```
 */
export function formatStatusLine(snapshot: DemoSnapshot): string {
  return [
    `[${(snapshot.uptimeMs / 1000).toFixed(1)}s] recorded ${formatCount(snapshot.recorded)}`,
    `pending ${formatCount(snapshot.pending)}`,
    `in flight ${formatCount(snapshot.inFlight)}`,
    `delivered ${formatCount(snapshot.delivered)}`,
    `dead ${formatCount(snapshot.dead)}`,
    `requests ${formatCount(snapshot.requests)}`,
    `429s ${formatCount(snapshot.rateLimited)}`,
    `${snapshot.deliveryRate.toFixed(1)}/s`,
    snapshot.status.state,
    `network ${snapshot.online ? 'up' : 'DOWN'}`,
  ].join(' | ');
}
