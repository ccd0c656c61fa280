import type { DemoSnapshot } from '../demo/snapshot.js';

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
  const n = (value: number): string => value.toLocaleString('en-US');
  return [
    `[${(snapshot.uptimeMs / 1000).toFixed(1)}s] recorded ${n(snapshot.recorded)}`,
    `pending ${n(snapshot.pending)}`,
    `in flight ${n(snapshot.inFlight)}`,
    `delivered ${n(snapshot.delivered)}`,
    `dead ${n(snapshot.dead)}`,
    `requests ${n(snapshot.requests)}`,
    `429s ${n(snapshot.rateLimited)}`,
    `${snapshot.deliveryRate.toFixed(1)}/s`,
    snapshot.status.state,
    `network ${snapshot.online ? 'up' : 'DOWN'}`,
  ].join(' | ');
}
