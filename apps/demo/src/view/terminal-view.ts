import cliProgress from 'cli-progress';
import type { DemoSnapshot } from '../demo/snapshot.js';
import { formatStatusLine } from './format-status.js';
import { formatLiveLines, LIVE_LINE_COUNT, LIVE_MAX_WIDTH } from './live-lines.js';

/** Options of {@link createTerminalView}. */
export interface TerminalViewOptions {
  /** Where to write. @default process.stdout */
  readonly stream?: NodeJS.WriteStream;
  /** Live bars when true, plain periodic lines when false. @default stream.isTTY */
  readonly live?: boolean;
  /** Plain mode: at most one line per this many ms. @default 2000 */
  readonly plainIntervalMs?: number;
}

/** The terminal side of the demo. */
export interface TerminalView {
  /** Show a new snapshot. */
  update(snapshot: DemoSnapshot): void;
  /** Print a line above the live display (or as-is in plain mode); `stop()` flushes any line not yet shown. */
  log(line: string): void;
  /** Stop redrawing; the last frame stays on screen. */
  stop(): void;
}

/**
 * A live progress display (cli-progress): a delivery bar and four lines of counters and state that redraw in
 * place, each at most 80 columns wide (see {@link formatLiveLines}). When the output is not a terminal (CI, a
 * pipe), it prints a plain status line every couple of seconds instead, so logs stay readable.
 *
 * @param options - see {@link TerminalViewOptions}
 */
export function createTerminalView(options: TerminalViewOptions = {}): TerminalView {
  const stream = options.stream ?? process.stdout;
  const live = options.live ?? stream.isTTY === true;
  if (!live) return createPlainView(stream, options.plainIntervalMs ?? 2000);

  const multibar = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: false,
      fps: 8,
      forceRedraw: true,
      format: '{line}',
    },
    cliProgress.Presets.shades_classic,
  );
  // cli-progress only redraws in place; the lines themselves come from formatLiveLines, which fits them in
  // 80 columns (a terminal with line wrapping off would otherwise cut the last fields of a long line).
  const rows = Array.from({ length: LIVE_LINE_COUNT }, () => multibar.create(1, 0, { line: '' }));
  let stopped = false;

  return {
    update(snapshot) {
      if (stopped) return;
      const lines = formatLiveLines(snapshot, stream.columns ?? LIVE_MAX_WIDTH);
      rows.forEach((row, index) => {
        row.update(0, { line: lines[index] ?? '' });
      });
    },
    log(line) {
      if (!stopped) multibar.log(`${line}\n`);
      else stream.write(`${line}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // MultiBar.log() holds lines until the next redraw and stop() does not flush them: redraw once first,
      // or the last notices ("SIGINT: stopping…") are lost when the demo ends between two frames.
      multibar.update();
      multibar.stop();
    },
  };
}

function createPlainView(stream: NodeJS.WritableStream, intervalMs: number): TerminalView {
  let lastPrinted = 0;
  return {
    update(snapshot) {
      if (snapshot.at - lastPrinted < intervalMs) return;
      lastPrinted = snapshot.at;
      stream.write(`${formatStatusLine(snapshot)}\n`);
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}
