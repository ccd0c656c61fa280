import { createBackoff, DeliveryError, ValidationError, v3Dialect } from '@hubline/core';
import { type AccountDue, MAX_DELAY_MS } from '@hubline/core/store';
import { BehaviorSubject, distinctUntilChanged, map, ReplaySubject, Subject, type Subscription } from 'rxjs';
import { resolveAccountTokens } from '../auth/account-tokens.js';
import { hasSlots } from '../pacing/store-rate-budget.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { type AccountLane, createAccountLane } from './account-lane.js';
import { createDeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import { createDrainLoop } from './drain-loop.js';
import { createEngineCounters, sumCounters } from './engine-counters.js';
import { type EnginePhase, maySend, nextPhase } from './engine-phase.js';
import { createFlushWaiters, type FlushTotals } from './flush-waiters.js';
import { resolveSyncOptions } from './options.js';
import { createPauseState } from './pauses.js';
import { resolveRateBudget } from './resolve-rate-budget.js';
import { readStats, statsStream, withCounters } from './stats-stream.js';
import { deriveStatus, engineStatusOf, sameStatus } from './status.js';
import { createStopDeadline } from './stop-deadline.js';
import { createEngineTimers } from './timers.js';
import { startTriggers } from './triggers.js';
import type {
  FlushBlocker,
  FlushReport,
  StopOptions,
  StopReport,
  SyncEngine,
  SyncEngineOptions,
  SyncOutcome,
  SyncStats,
  SyncStatus,
} from './types.js';

/** The account of an event recorded without one. */
const DEFAULT_ACCOUNT = 'default';

/**
 * Create the delivery engine that drains a store (an outbox) to HubSpot exactly once by id.
 *
 * Every HubSpot account with events in the store gets its own lane: its token source, its rate budget (HubSpot
 * counts per app and account), its pauses and its drain loop, so one throttled, unauthorized or forbidden account
 * never holds up another, and a batch never mixes accounts. Triggers (new records, an interval, `online$` turning
 * true, `flush()`, the next due time, the end of a pause) look up which accounts have work due and start their
 * lanes. Each pass claims a page, waits for the rate budget, sends, and settles every event by HubSpot's verdict;
 * batches refused as a whole are bisected while the lease is held. Memory stays flat whatever the backlog.
 *
 * @param options - see {@link SyncEngineOptions}; `outbox`, and `accessToken` or `accounts`, are required.
 * @example
 * ```ts
 * const sync = createSyncEngine({ outbox, accessToken: process.env.HUBSPOT_TOKEN! });
 * sync.status$.subscribe((status) => console.log(status.state));
 * sync.start();
 * await sync.whenDelivered(outbox.record({ eventTemplateId: '1001', email: 'ana@example.com' }));
 * await sync.stop({ drain: true });
 * ```
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
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

  const status = new BehaviorSubject<SyncStatus>({ state: 'idle' });
  const statuses = new BehaviorSubject<Readonly<Record<string, SyncStatus>>>({});
  const outcomes = new Subject<SyncOutcome>();
  const stats = new ReplaySubject<SyncStats>(1);
  const statsChanged = new Subject<void>();
  /** Emits when the engine starts stopping: waits for a token or the rate budget are abandoned. */
  const abandon = new Subject<void>();
  const registry = createDeliveryRegistry();
  const flushes = createFlushWaiters();
  const timers = createEngineTimers(scheduler);
  const abortController = new AbortController();
  const lanes = new Map<string, AccountLane>();
  const counters = sumCounters(() => [...lanes.values()].map((lane) => lane.counters));

  let phase: EnginePhase = 'created';
  let stopPromise: Promise<StopReport> | undefined;
  let triggers: Subscription | undefined;
  let hostOnline = true;
  /** Set by flush(): try once even though paused (a person asked). */
  let probeRequested = false;

  /** The engine's own pause: the network (no connection could be made to HubSpot, for any account). */
  const network = createPauseState(timers, logger, () => dispatch('pause-ended'));
  const engineHold = (): 'paused' | 'stopping' | undefined => {
    if (!maySend(phase)) return 'stopping';
    return hostOnline && network.current === undefined ? undefined : 'paused';
  };

  const refreshStatus = (): void => {
    if (status.closed) return;
    const byAccount: Record<string, SyncStatus> = {};
    let changed = false;
    for (const [account, lane] of lanes) {
      const next = lane.status();
      const last = statuses.getValue()[account];
      byAccount[account] = last !== undefined && sameStatus(last, next) ? last : next;
      changed ||= byAccount[account] !== last;
    }
    if (changed || Object.keys(byAccount).length !== Object.keys(statuses.getValue()).length) {
      statuses.next(byAccount);
    }
    const next =
      phase === 'stopped' || network.current !== undefined || !hostOnline
        ? deriveStatus({
            now: now(),
            stopped: phase === 'stopped',
            pause: network.current,
            hostOnline,
            rateLimitedUntil: 0,
            rateLimitReason: '',
            inFlight: 0,
            waitingForBudget: 0,
            backingOffUntil: 0,
          })
        : engineStatusOf(Object.values(byAccount));
    if (!sameStatus(status.getValue(), next)) status.next(next);
  };
  const changed = (): void => {
    statsChanged.next();
    refreshStatus();
  };

  const laneFor = (account: string): AccountLane => {
    let lane = lanes.get(account);
    if (lane === undefined) {
      const tokens = tokensOf(account);
      lane = createAccountLane({
        account,
        config,
        store,
        tokens: tokens.provider,
        budget: resolveRateBudget(
          options.rateLimit,
          config,
          account,
          tokens.identity,
          hasSlots(store.budgets) ? store.budgets : undefined,
        ),
        backoff,
        registry,
        outcomes,
        abandon,
        signal: abortController.signal,
        engineHold,
        offline: (message) => {
          network.enter({ state: 'offline', reason: message, until: now() + config.offlineProbeMs });
          changed();
        },
        changed,
        loopEnded: answerFlushes,
      });
      lanes.set(account, lane);
      void lane.readShared().catch(() => {});
    }
    return lane;
  };

  /** Every account with work, and when it is due; a store of one account only answers for `'default'`. */
  const accountsDue = async (): Promise<readonly AccountDue[]> => {
    if (store.accountsDue !== undefined) return store.accountsDue();
    const dueIn = await store.nextDueIn();
    return dueIn === null ? [] : [{ account: DEFAULT_ACCOUNT, dueIn }];
  };

  /** Look up which accounts have work due, start their lanes, and wake up when the next one comes due. */
  const dispatchPass = async (): Promise<void> => {
    const probe = probeRequested;
    probeRequested = false;
    if (!maySend(phase)) return;
    if (network.probeIfDue(now(), probe)) refreshStatus();
    if (engineHold() !== undefined) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const { account, dueIn } of await accountsDue()) {
      if (dueIn === 0 || probe) laneFor(account).kick('due', probe);
      else earliest = Math.min(earliest, dueIn);
    }
    if (earliest < Number.POSITIVE_INFINITY && maySend(phase)) {
      timers.at('due', now() + Math.min(earliest, MAX_DELAY_MS), () => dispatch('due'));
    }
  };
  const dispatcher = createDrainLoop({
    pass: dispatchPass,
    afterLoop: () => {},
    onIdle: answerFlushes,
    onError: (error) =>
      logger.error('could not look up due work; will try again', { error: describeError(error) }),
  });
  function dispatch(reason: string, probe = false): void {
    if (phase === 'stopped') return;
    probeRequested ||= probe;
    logger.debug('drain triggered', { reason });
    dispatcher.kick();
  }

  const totals = (): FlushTotals => ({
    delivered: counters.delivered,
    dead: counters.dead,
    retries: counters.retries,
  });

  /** Answer the flushes that are done, once nothing runs: every lane has ended its loop. */
  function answerFlushes(): void {
    if (dispatcher.running || [...lanes.values()].some((lane) => lane.running)) return;
    let nothingDue = true;
    let rateLimited = false;
    let laneBlocker: FlushBlocker | undefined;
    let leasedElsewhere = 0;
    for (const lane of lanes.values()) {
      const facts = lane.facts();
      if (facts === undefined) continue;
      nothingDue &&= facts.nothingDue;
      rateLimited ||= facts.rateLimited && !facts.nothingDue;
      laneBlocker ??= facts.blockedBy;
      leasedElsewhere += facts.leasedElsewhere;
    }
    const networkBlocker = network.blocker() ?? (hostOnline ? undefined : 'offline');
    flushes.answer({
      nothingDue,
      blockedBy: networkBlocker ?? laneBlocker,
      rateLimited,
      totals: totals(),
      leasedElsewhere,
    });
  }

  const flushInternal = (waitThroughRateLimit: boolean): Promise<FlushReport> => {
    const flushed = flushes.add(totals(), waitThroughRateLimit);
    dispatch('flush', true);
    return flushed;
  };

  const stopError = (): DeliveryError => new DeliveryError('ENGINE_STOPPED', 'The sync engine was stopped');

  /** stop()'s deadline: when it passes, the drain is cut short and requests in flight are aborted. */
  const stopDeadline = createStopDeadline(scheduler, () => {
    phase = nextPhase(phase, 'stop');
    abortController.abort();
    abandon.next();
  });

  const statsSource = { store, counters, logger, now };
  const statsSubscription = statsStream(
    statsChanged,
    statsSource,
    config.statsIntervalMs,
    scheduler,
  ).subscribe((value) => stats.next(value));

  /** The end of stopping: nothing is in flight any more; release every resource and complete the streams. */
  const finishStopping = async (): Promise<StopReport> => {
    stopDeadline.cancel();
    if (stopDeadline.passed()) logger.info('stop deadline reached; anything still in flight was aborted');
    triggers?.unsubscribe();
    timers.clear();
    for (const lane of lanes.values()) lane.close();
    phase = nextPhase(phase, 'stopped');
    const error = stopError();
    registry.close(error);
    flushes.rejectAll(error);
    statsSubscription.unsubscribe();
    const last = await readStats(statsSource);
    if (last !== undefined) stats.next(last);
    refreshStatus();
    logger.info('sync engine stopped');
    status.complete();
    statuses.complete();
    stats.complete();
    outcomes.complete();
    return { timedOut: stopDeadline.passed() };
  };

  const stopSequence = async (stopOptions: StopOptions): Promise<StopReport> => {
    if (stopOptions.timeoutMs !== undefined) stopDeadline.set(stopOptions.timeoutMs);
    if (stopOptions.drain === true && !stopDeadline.passed()) {
      phase = nextPhase(phase, 'drain');
      try {
        await Promise.race([flushInternal(false), stopDeadline.reached]);
      } catch {
        // Stopped from elsewhere meanwhile; carry on stopping.
      }
    }
    phase = nextPhase(phase, 'stop');
    // No new request: waits for the rate budget or a token end now; requests in flight finish (or the deadline
    // aborts them).
    abandon.next();
    await dispatcher.idle();
    await Promise.all([...lanes.values()].map((lane) => lane.idle()));
    return finishStopping();
  };

  return {
    start() {
      // Once stop() is called (a drain may still be running), the engine can only finish stopping.
      if (phase !== 'created' || stopPromise !== undefined) return;
      phase = nextPhase(phase, 'start');
      triggers = startTriggers({
        config,
        timers,
        registry,
        lookup: (id) => store.get(id),
        pollStore: async () => {
          await Promise.all([...lanes.values()].map((lane) => lane.readShared()));
        },
        kick: (reason) => dispatch(reason),
        statsChanged: () => statsChanged.next(),
        hostOnline: (online) => {
          hostOnline = online;
          if (online) network.endOffline();
          refreshStatus();
          if (online) dispatch('online');
        },
      });
      statsChanged.next();
      dispatch('start');
    },

    stop(stopOptions: StopOptions = {}) {
      const { timeoutMs } = stopOptions;
      if (
        timeoutMs !== undefined &&
        !(Number.isFinite(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_DELAY_MS)
      ) {
        return Promise.reject(
          new ValidationError('stop options', [
            {
              path: 'timeoutMs',
              message: `must be a number of ms from 0 to ${MAX_DELAY_MS}, got ${String(timeoutMs)}`,
            },
          ]),
        );
      }
      if (stopPromise !== undefined) {
        // A second call (a second Ctrl-C, say) may only bring the deadline closer.
        if (timeoutMs !== undefined && phase !== 'stopped') stopDeadline.set(timeoutMs);
        return stopPromise;
      }
      stopPromise = stopSequence(stopOptions);
      return stopPromise;
    },

    async [Symbol.asyncDispose]() {
      await this.stop();
    },

    flush() {
      if (!maySend(phase)) return Promise.reject(stopError());
      return flushInternal(true);
    },

    whenDelivered(id: string) {
      return registry.wait(id, (key) => store.get(key));
    },

    async statsOf(account: string) {
      const own = lanes.get(account)?.counters ?? createEngineCounters(config.rateWindowMs);
      return withCounters(await store.stats(account), own, now());
    },

    status$: status.asObservable(),
    statuses$: statuses.asObservable(),
    statusOf$: (account: string) =>
      statuses.pipe(
        map((all) => all[account] ?? { state: 'idle' as const }),
        distinctUntilChanged(sameStatus),
      ),
    stats$: stats.asObservable(),
    outcomes$: outcomes.asObservable(),
  };
}
