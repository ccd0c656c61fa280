import type { Logger } from '@hubline/core';
import type { EnginePause } from './send-batch.js';
import type { EngineTimers } from './timers.js';
import type { FlushBlocker } from './types.js';

/** A pause the engine (offline) or one account (unauthorized, forbidden, a failing token endpoint) is in. */
export interface PauseState {
  /** The pause that holds, if any. */
  readonly current: EnginePause | undefined;
  /** Pause until `pause.until`; the `pause` timer then calls `onEnd`. */
  enter(pause: EnginePause): void;
  /** End the pause when it has run out or `force` is set (a person asked: flush); returns whether it ended one. */
  probeIfDue(now: number, force: boolean): boolean;
  /** End an offline pause at once (the host says the network is back); returns whether it ended one. */
  endOffline(): boolean;
  /** Why sending is blocked, if it is. */
  blocker(): FlushBlocker | undefined;
}

/**
 * Create a pause state.
 *
 * @param timers - the owner's timers (this uses `pause`)
 * @param logger - where entering a pause is reported
 * @param onEnd - called when a pause's time is up (the owner probes)
 * @param account - the account whose pause this is, for the log; absent for the engine's own
 */
export function createPauseState(
  timers: EngineTimers,
  logger: Logger,
  onEnd: () => void,
  account?: string,
): PauseState {
  let pause: EnginePause | undefined;
  const who = account === undefined ? {} : { account };
  const end = (): void => {
    pause = undefined;
    timers.cancel('pause');
  };
  return {
    get current() {
      return pause;
    },
    enter(next) {
      pause = next;
      logger.warn(`paused: ${next.state}`, { ...who, reason: next.reason, until: next.until });
      timers.at('pause', next.until, onEnd);
    },
    probeIfDue(now, force) {
      if (pause === undefined || !(force || now >= pause.until)) return false;
      logger.info(`probing after ${pause.state}`, who);
      end();
      return true;
    },
    endOffline() {
      if (pause?.state !== 'offline') return false;
      end();
      return true;
    },
    blocker: () => pause?.state,
  };
}
