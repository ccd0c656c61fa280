import type { Logger } from '@hubline/core';

/** What {@link stopOnSignal} calls. */
export interface StopHandlers {
  /** The graceful stop, on the first signal. The process exits 0 when it resolves, 1 when it rejects. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** On a second signal (a person pressing Ctrl-C again): cut the graceful stop short. */
  hurry(): void;
}

/**
 * Stop gracefully on SIGTERM (systemd's `KillSignal`, `docker stop`) or SIGINT (Ctrl-C), then exit: 0 once the
 * stop resolved, 1 if it failed. A second signal hurries the stop instead of killing the process, so the
 * outbox is still closed cleanly.
 *
 * @param handlers - the stop and the hurry
 * @param logger - where the signals are reported
 * @param exit - how the process ends @default process.exit
 */
export function stopOnSignal(
  handlers: StopHandlers,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn('second signal: cutting the drain short', { signal });
      handlers.hurry();
      return;
    }
    stopping = true;
    handlers.stop(signal).then(
      () => exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
