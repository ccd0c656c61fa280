import { setMaxListeners } from 'node:events';
import { createBackoff, type Logger, v3Dialect } from '@hubline/core';
import type { DeliveryStore } from '@hubline/core/store';
import { ReplaySubject, type SchedulerLike, Subject } from 'rxjs';
import { resolveAccountTokens } from '../auth/account-tokens.js';
import { hasSlots } from '../pacing/store-rate-budget.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { type AccountDispatcher, createAccountDispatcher } from './account-dispatcher.js';
import { type AccountLane, createAccountLane } from './account-lane.js';
import { createDeliveryRegistry, type DeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import { type CountersView, sumCounters } from './engine-counters.js';
import { type EnginePhase, maySend } from './engine-phase.js';
import { createFlushWaiters, type FlushTotals, type FlushWaiters } from './flush-waiters.js';
import { combineLaneFacts } from './lane-facts.js';
import { type ResolvedSyncOptions, resolveSyncOptions } from './options.js';
import { createPauseState, type PauseState } from './pauses.js';
import { resolveRateBudget } from './resolve-rate-budget.js';
import { createStatusBoard, type StatusBoard } from './status-board.js';
import { createEngineTimers, type EngineTimers } from './timers.js';
import type { SyncEngineOptions, SyncOutcome, SyncStats } from './types.js';

/** What the engine's lifecycle changes as it runs. */
export interface EngineState {
  /** Where the engine is in its lifecycle. */
  phase: EnginePhase;
  /** Whether the host says it is online (`online$`). */
  hostOnline: boolean;
}

/** The parts an engine is made of, wired together; the engine's API and its stop sequence drive them. */
export interface EngineParts {
  /** The resolved options. */
  readonly config: ResolvedSyncOptions;
  /** The store drained (`outbox`). */
  readonly store: DeliveryStore;
  /** The engine's time source (monotonic by default). */
  readonly scheduler: SchedulerLike;
  /** Where the engine reports. */
  readonly logger: Logger;
  /** The engine's mutable lifecycle state. */
  readonly state: EngineState;
  /** One lane per account seen, by account. */
  readonly lanes: ReadonlyMap<string, AccountLane>;
  /** Every lane's counters, summed. */
  readonly counters: CountersView;
  /** `whenDelivered` waiters. */
  readonly registry: DeliveryRegistry;
  /** The promises `flush()` and a draining `stop()` handed out. */
  readonly flushes: FlushWaiters;
  /** The engine's own timers (the lanes keep their own). */
  readonly timers: EngineTimers;
  /** The engine-wide pause: the network is gone. */
  readonly network: PauseState;
  /** The status streams. */
  readonly board: StatusBoard;
  /** Starts the lanes of accounts with work due. */
  readonly dispatcher: AccountDispatcher;
  /** `outcomes$`. */
  readonly outcomes: Subject<SyncOutcome>;
  /** `stats$`. */
  readonly stats: ReplaySubject<SyncStats>;
  /** Emits when the stats may have changed (they are read again, throttled). */
  readonly statsChanged: Subject<void>;
  /** Emits when the engine starts stopping: waits for a token or the rate budget are abandoned. */
  readonly abandon: Subject<void>;
  /** Aborts the requests in flight (stop()'s deadline passed). */
  readonly abortController: AbortController;
  /** Now, by the engine's scheduler. */
  now(): number;
  /** Ask for a look at due work (nothing once stopped); `probe` tries once through the pauses. */
  dispatch(reason: string, probe?: boolean): void;
  /** The totals a flush reports the change of. */
  totals(): FlushTotals;
}

/**
 * Wire an engine's parts: options resolved, one lane per account made on first use (its token source, rate budget
 * and pauses), the dispatcher that starts them, the status board, the engine-wide network pause and the flush
 * waiters answered once nothing runs.
 *
 * @param options - what `createSyncEngine` was given
 */
export function createEngineParts(options: SyncEngineOptions): EngineParts {
  const config = resolveSyncOptions(options, {
    dialect: () => v3Dialect,
    transport: () => createNodeHttpTransport(),
  });
  const tokensOf = resolveAccountTokens(options.accessToken, options.accounts);
  const { outbox: store, scheduler, logger } = config;
  const backoff = createBackoff({
    baseMs: config.backoffBaseMs,
    maxMs: config.backoffMaxMs,
    random: config.random,
  });
  const now = (): number => scheduler.now();
  const state: EngineState = { phase: 'created', hostOnline: true };
  const lanes = new Map<string, AccountLane>();
  const timers = createEngineTimers(scheduler);
  const flushes = createFlushWaiters();
  const counters = sumCounters(() => [...lanes.values()].map((lane) => lane.counters));
  const totals = (): FlushTotals => ({
    delivered: counters.delivered,
    dead: counters.dead,
    retries: counters.retries,
  });
  const network = createPauseState(timers, logger, () => dispatch('pause-ended'));
  const board = createStatusBoard({
    lanes,
    network,
    now,
    stopped: () => state.phase === 'stopped',
    hostOnline: () => state.hostOnline,
  });
  const statsChanged = new Subject<void>();
  /** Something the stats or a status are made of changed: one account's (its lane's), or the engine's. */
  const changed = (account?: string): void => {
    statsChanged.next();
    board.refresh(account);
  };
  const engineHold = (): 'paused' | 'stopping' | undefined => {
    if (!maySend(state.phase)) return 'stopping';
    return state.hostOnline && network.current === undefined ? undefined : 'paused';
  };
  const parts = {
    config,
    store,
    scheduler,
    logger,
    state,
    lanes,
    counters,
    registry: createDeliveryRegistry(),
    flushes,
    timers,
    network,
    board,
    outcomes: new Subject<SyncOutcome>(),
    stats: new ReplaySubject<SyncStats>(1),
    statsChanged,
    abandon: new Subject<void>(),
    abortController: unboundedAbortController(),
    now,
    dispatch,
    totals,
  };

  const laneFor = (account: string): AccountLane => {
    const existing = lanes.get(account);
    if (existing !== undefined) return existing;
    const tokens = tokensOf(account);
    const lane = createAccountLane({
      account,
      config,
      store,
      registry: parts.registry,
      outcomes: parts.outcomes,
      abandon: parts.abandon,
      tokens: tokens.provider,
      budget: resolveRateBudget(
        options.rateLimit,
        config,
        account,
        tokens.identity,
        hasSlots(store.budgets) ? store.budgets : undefined,
      ),
      backoff,
      signal: parts.abortController.signal,
      engineHold,
      offline: (message) => {
        network.enter({ state: 'offline', reason: message, until: now() + config.offlineProbeMs });
        changed();
      },
      changed: () => changed(account),
      loopEnded: answerFlushes,
    });
    lanes.set(account, lane);
    lane
      .readShared()
      .catch((error: unknown) =>
        logger.warn('could not read the pause kept in the store', { account, error: describeError(error) }),
      );
    return lane;
  };

  const dispatcher = createAccountDispatcher({
    store,
    timers,
    logger,
    network,
    now,
    maySend: () => maySend(state.phase),
    engineHold,
    laneFor,
    refreshStatus: () => board.refresh(),
    onIdle: answerFlushes,
  });

  function dispatch(reason: string, probe = false): void {
    if (state.phase !== 'stopped') dispatcher.dispatch(reason, probe);
  }

  /** Answer the flushes that are done, once nothing runs: the dispatcher and every lane have ended their loops. */
  function answerFlushes(): void {
    if (dispatcher.running || [...lanes.values()].some((lane) => lane.running)) return;
    const facts = combineLaneFacts(lanes.values());
    const networkBlocker = network.blocker() ?? (state.hostOnline ? undefined : 'offline');
    flushes.answer({ ...facts, blockedBy: networkBlocker ?? facts.blockedBy, totals: totals() });
  }

  return { ...parts, dispatcher };
}

/**
 * The engine's abort controller. Every request in flight (one per account lane and worker) listens to its signal
 * until it ends, so more than Node's default of ten listeners at once is normal, not a leak.
 */
function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
