import type { Logger } from '@hubline/core';
import type { EnginePause } from './send-batch.js';
import type { EngineTimers } from './timers.js';
import type { FlushBlocker } from './types.js';

/** The engine's own pauses (offline, unauthorized, forbidden) and the host's idea of the network. */
export interface EnginePauses {
  /** The pause that holds, if any. */
  readonly current: EnginePause | undefined;
  /** What `online$` last said (true until it says otherwise). */
  readonly hostOnline: boolean;
  /** Pause until `pause.until`; the `pause` timer then calls `onEnd`. */
  enter(pause: EnginePause): void;
  /** End the pause when it has run out or `force` is set (a person asked: flush); returns whether it ended one. */
  probeIfDue(now: number, force: boolean): boolean;
  /** `online$` said `online`; coming back online ends an offline pause at once. */
  setHostOnline(online: boolean): void;
  /** Why the engine cannot send now, if it cannot. */
  blocker(): FlushBlocker | undefined;
}

/**
 * Create the pause state.
 *
 * @param timers - the engine's timers (this uses `pause`)
 * @param logger - where entering a pause is reported
 * @param onEnd - called when a pause's time is up (the engine probes)
 */
export function createEnginePauses(timers: EngineTimers, logger: Logger, onEnd: () => void): EnginePauses {
  let pause: EnginePause | undefined;
  let hostOnline = true;
  const end = (): void => {
    pause = undefined;
    timers.cancel('pause');
  };
  return {
    get current() {
      return pause;
    },
    get hostOnline() {
      return hostOnline;
    },
    enter(next) {
      pause = next;
      logger.warn(`paused: ${next.state}`, { reason: next.reason, until: next.until });
      timers.at('pause', next.until, onEnd);
    },
    probeIfDue(now, force) {
      if (pause === undefined || !(force || now >= pause.until)) return false;
      logger.info(`probing after ${pause.state}`);
      end();
      return true;
    },
    setHostOnline(online) {
      hostOnline = online;
      if (online && pause?.state === 'offline') end();
    },
    blocker() {
      if (pause !== undefined) return pause.state;
      return hostOnline ? undefined : 'offline';
    },
  };
}
