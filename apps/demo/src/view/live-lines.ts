import type { DemoSnapshot } from '../demo/snapshot.js';
import { formatCount, formatElapsed, formatRate } from './format-numbers.js';

/** The widest line the live display draws, whatever the terminal's width: a classic 80-column terminal. */
export const LIVE_MAX_WIDTH = 80;

/** How many lines {@link formatLiveLines} returns: always the same, so the display redraws in place. */
export const LIVE_LINE_COUNT = 5;

const FULL = '█';
const EMPTY = '░';

/** Cut a line to `width` columns, marking the cut with an ellipsis. */
function fitToWidth(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The live display's lines for one snapshot, each at most `width` (and never more than 80) columns: a delivery
 * bar, the outbox counters, the engine's counters and rate, the engine's state with the network and the fault
 * profile, and the reason for that state (blank when there is none). Numbers carry thousands separators; a line
 * that still does not fit (a long reason) ends in `…` instead of being cut by the terminal.
 *
 * @param snapshot - the moment to show
 * @param width - the terminal's columns
 * @example
 * ```ts
 * formatLiveLines(snapshot, process.stdout.columns ?? 80);
 * ```
 */
export function formatLiveLines(snapshot: DemoSnapshot, width: number = LIVE_MAX_WIDTH): string[] {
  const columns = Math.max(20, Math.min(LIVE_MAX_WIDTH, Math.floor(width) || LIVE_MAX_WIDTH));
  const total = Math.max(
    1,
    snapshot.goal ?? snapshot.delivered + snapshot.pending + snapshot.inFlight + snapshot.dead,
  );
  const done = Math.min(total, snapshot.delivered);
  const tail = `  ${formatCount(done)} / ${formatCount(total)} ${snapshot.goal === null ? '(whole outbox)' : '(this run’s goal)'}`;
  const head = ' delivered ';
  const barWidth = Math.max(8, Math.min(30, columns - head.length - tail.length));
  const filled = Math.round((done / total) * barWidth);
  const bar = FULL.repeat(filled) + EMPTY.repeat(barWidth - filled);

  const until =
    snapshot.status.until === undefined || snapshot.status.until <= snapshot.at
      ? ''
      : `, ${formatElapsed(snapshot.status.until - snapshot.at + 999)} left`;
  const lines = [
    `${head}${bar}${tail}`,
    ` recorded ${formatCount(snapshot.recorded)} · pending ${formatCount(snapshot.pending)} · ` +
      `in flight ${formatCount(snapshot.inFlight)} · dead ${formatCount(snapshot.dead)}`,
    ` requests ${formatCount(snapshot.requests)} · 429s ${formatCount(snapshot.rateLimited)} · ` +
      `retries ${formatCount(snapshot.retries)} · ${formatRate(snapshot.deliveryRate)} delivered/s`,
    ` engine ${snapshot.status.state} · network ${snapshot.online ? 'up' : 'DOWN'} · ` +
      `faults ${snapshot.faults ?? 'off (real HubSpot)'} · ${formatElapsed(snapshot.uptimeMs)}`,
    snapshot.status.reason === undefined ? '' : `   ↳ ${snapshot.status.reason}${until}`,
  ];
  return lines.map((line) => fitToWidth(line, columns));
}
