import type { Logger } from '@hubline/core';
import { type AccountDue, type DeliveryStore, MAX_DELAY_MS } from '@hubline/core/store';
import type { AccountLane } from './account-lane.js';
import { describeError } from './describe-error.js';
import { createDrainLoop, type DrainLoop } from './drain-loop.js';
import type { PauseState } from './pauses.js';
import type { EngineTimers } from './timers.js';

/** The account of an event recorded without one. */
const DEFAULT_ACCOUNT = 'default';

/** What the dispatcher needs from the engine around it. */
export interface DispatcherDeps {
  /** The store asked which accounts have work due. */
  readonly store: DeliveryStore;
  /** The engine's timers (this uses `due`). */
  readonly timers: EngineTimers;
  /** Where a failed look-up is reported. */
  readonly logger: Logger;
  /** The engine's own pause (the network), probed when due. */
  readonly network: PauseState;
  /** Now, by the engine's scheduler. */
  now(): number;
  /** Whether the engine may still send (it is not stopping). */
  maySend(): boolean;
  /** Whether the engine holds every account back (paused, stopping), and why. */
  engineHold(): 'paused' | 'stopping' | undefined;
  /** The lane of an account, made on first use. */
  laneFor(account: string): AccountLane;
  /** A status may have changed. */
  refreshStatus(): void;
  /** The dispatcher's loop has ended (flushes may be answered). */
  onIdle(): void;
}

/** Starts the lanes of the accounts with work due, and wakes up when the next one comes due. */
export interface AccountDispatcher {
  /** Look for due work now; `probe` also tries once through the pauses (a person asked: flush). */
  dispatch(reason: string, probe?: boolean): void;
  /** Whether a look-up is running. */
  readonly running: boolean;
  /** Resolves once no look-up is running. */
  idle(): Promise<void>;
}

/**
 * Create the dispatcher: one coalescing loop that asks the store which accounts have work ({@link
 * DeliveryStore.accountsDue}, or the `'default'` account's next due time for a store of one account) and kicks the
 * lanes of those due now.
 *
 * @param deps - the store and the engine around the dispatcher
 */
export function createAccountDispatcher(deps: DispatcherDeps): AccountDispatcher {
  const { store, timers, logger, network } = deps;
  let probeRequested = false;

  const accountsDue = async (): Promise<readonly AccountDue[]> => {
    if (store.accountsDue !== undefined) return store.accountsDue();
    const dueIn = await store.nextDueIn();
    return dueIn === null ? [] : [{ account: DEFAULT_ACCOUNT, dueIn }];
  };

  const pass = async (): Promise<void> => {
    const probe = probeRequested;
    probeRequested = false;
    if (!deps.maySend()) return;
    if (network.probeIfDue(deps.now(), probe)) deps.refreshStatus();
    if (deps.engineHold() !== undefined) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const { account, dueIn } of await accountsDue()) {
      if (dueIn === 0 || probe) deps.laneFor(account).kick('due', probe);
      else earliest = Math.min(earliest, dueIn);
    }
    if (earliest < Number.POSITIVE_INFINITY && deps.maySend()) {
      timers.at('due', deps.now() + Math.min(earliest, MAX_DELAY_MS), () => dispatch('due'));
    }
  };

  const loop: DrainLoop = createDrainLoop({
    pass,
    afterLoop: () => {},
    onIdle: deps.onIdle,
    onError: (error) =>
      logger.error('could not look up due work; will try again', { error: describeError(error) }),
  });

  function dispatch(reason: string, probe = false): void {
    probeRequested ||= probe;
    logger.debug('drain triggered', { reason });
    loop.kick();
  }

  return {
    dispatch,
    get running() {
      return loop.running;
    },
    idle: () => loop.idle(),
  };
}
