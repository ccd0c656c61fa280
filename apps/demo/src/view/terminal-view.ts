import cliProgress from 'cli-progress';
import type { DemoSnapshot } from '../demo/snapshot.js';
import { formatStatusLine } from './format-status.js';

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
 * A live progress display (cli-progress): a delivery bar and two lines of counters that redraw in place. When
 * the output is not a terminal (CI, a pipe), it prints a plain status line every couple of seconds instead, so
 * logs stay readable.
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
      autopadding: true,
      fps: 8,
      barsize: 32,
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const delivered = multibar.create(1, 0, {}, { format: ' delivered {bar} {value}/{total} {note}' });
  const counters = multibar.create(
    1,
    0,
    {},
    {
      format:
        ' recorded {recorded} │ pending {pending} │ in flight {inFlight} │ dead {dead} │ requests {requests} │ 429s {rateLimited} │ {rate}/s',
    },
  );
  const state = multibar.create(
    1,
    0,
    {},
    { format: ' engine {state}{reason} │ network {network} │ faults {faults} │ {elapsed}' },
  );
  const n = (value: number): string => value.toLocaleString('en-US');
  let stopped = false;

  return {
    update(snapshot) {
      if (stopped) return;
      const total = Math.max(
        1,
        snapshot.goal ?? snapshot.delivered + snapshot.pending + snapshot.inFlight + snapshot.dead,
      );
      delivered.setTotal(total);
      delivered.update(
        Math.min(total, snapshot.goal === null ? snapshot.delivered : Math.min(snapshot.delivered, total)),
        {
          note: snapshot.goal === null ? '(whole outbox)' : '(this run’s goal)',
        },
      );
      counters.update(0, {
        recorded: n(snapshot.recorded),
        pending: n(snapshot.pending),
        inFlight: n(snapshot.inFlight),
        dead: n(snapshot.dead),
        requests: n(snapshot.requests),
        rateLimited: n(snapshot.rateLimited),
        rate: snapshot.deliveryRate.toFixed(1),
      });
      state.update(0, {
        state: snapshot.status.state,
        reason: snapshot.status.reason === undefined ? '' : ` (${snapshot.status.reason})`,
        network: snapshot.online ? 'up' : 'DOWN',
        faults: snapshot.faults ?? 'real HubSpot',
        elapsed: `${(snapshot.uptimeMs / 1000).toFixed(0)} s`,
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
