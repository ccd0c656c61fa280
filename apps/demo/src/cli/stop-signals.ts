/** Options of {@link listenForStop}. */
export interface StopSignalOptions {
  /** Where SIGINT and SIGTERM arrive, e.g. `process`. */
  readonly signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** Called on a second signal, the person's "leave now". */
  readonly onForce: (signal: NodeJS.Signals) => void;
  /** Epoch-ms clock. @default Date.now */
  readonly now?: () => number;
  /**
   * A repeat within this many ms of the first signal is the same Ctrl-C arriving twice, not a second press:
   * a terminal signals every process of the foreground group, and a runner in that group (pnpm running a script
   * with `exec`) forwards its own copy to the demo as well. @default 500
   */
  readonly echoMs?: number;
}

/** A listener for the signals that stop the demo. */
export interface StopSignals {
  /** Resolves with the first signal's name. */
  readonly requested: Promise<NodeJS.Signals>;
  /** Stop listening. */
  dispose(): void;
}

/**
 * Listen for SIGINT and SIGTERM: the first asks for a graceful stop, a later one (not an echo of the first) for
 * leaving at once.
 *
 * @param options - see {@link StopSignalOptions}
 * @example
 * ```ts
 * const stop = listenForStop({ signals: process, onForce: () => process.exit(EXIT_CODES.forced) });
 * await stop.requested;
 * ```
 */
export function listenForStop(options: StopSignalOptions): StopSignals {
  const now = options.now ?? Date.now;
  const echoMs = options.echoMs ?? 500;
  let firstAt: number | undefined;
  let resolveRequested: (signal: NodeJS.Signals) => void = () => {};
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    resolveRequested = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt === undefined) {
      firstAt = now();
      resolveRequested(signal);
    } else if (now() - firstAt >= echoMs) {
      options.onForce(signal);
    }
  };
  options.signals.on('SIGINT', onSignal);
  options.signals.on('SIGTERM', onSignal);
  return {
    requested,
    dispose() {
      options.signals.off('SIGINT', onSignal);
      options.signals.off('SIGTERM', onSignal);
    },
  };
}
