import { createBackoff, DeliveryError, type GlobalSignal, ValidationError, v3Dialect } from '@hubline/core';
import { MAX_DELAY_MS, type OutboxStats } from '@hubline/core/store';
import {
  BehaviorSubject,
  firstValueFrom,
  from,
  map,
  ReplaySubject,
  race,
  Subject,
  type Subscription,
} from 'rxjs';
import { resolveTokenProvider } from '../auth/resolve-token-provider.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { createDeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import { createDrainLoop } from './drain-loop.js';
import { createEngineCounters } from './engine-counters.js';
import { type EnginePhase, maySend, nextPhase } from './engine-phase.js';
import { createBatchExchange, type TokenTrouble } from './exchange.js';
import { createFlushWaiters, type FlushTotals } from './flush-waiters.js';
import { resolveSyncOptions } from './options.js';
import { createPacing } from './pacing.js';
import { createEnginePauses } from './pauses.js';
import { resolveRateBudget } from './resolve-rate-budget.js';
import type { BatchContext } from './send-batch.js';
import { createSettleAndReport } from './settle-and-report.js';
import { readStats, statsStream } from './stats-stream.js';
import { deriveStatus, sameStatus } from './status.js';
import { createStopDeadline } from './stop-deadline.js';
import { createEngineTimers } from './timers.js';
import { startTriggers } from './triggers.js';
import type {
  FlushReport,
  StopOptions,
  StopReport,
  SyncEngine,
  SyncEngineOptions,
  SyncOutcome,
  SyncStats,
  SyncStatus,
} from './types.js';
import { runWorkers } from './workers.js';

/** The budget key of a single-account engine in the store's shared pauses. */
const DEFAULT_BUDGET_KEY = 'default';

/**
 * Create the delivery engine that drains a store (an outbox) to HubSpot exactly once by id.
 *
 * Triggers (new records, an interval, `online$` turning true, `flush()`, the next due time, the end of a pause)
 * all feed one drain loop that never runs twice at once. Each pass claims a page from the store, waits for the
 * rate budget, sends, and settles every event by HubSpot's verdict; batches refused as a whole are bisected while
 * the lease is held. Memory stays flat whatever the backlog: only one page per request in flight is loaded.
 *
 * @param options - see {@link SyncEngineOptions}; only `outbox` and `accessToken` are required.
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
  const { outbox: store, scheduler, logger } = config;
  const heldBudget = resolveRateBudget(options.rateLimit, config, options.accessToken);
  const budget = heldBudget.budget;
  const backoff = createBackoff({
    baseMs: config.backoffBaseMs,
    maxMs: config.backoffMaxMs,
    random: config.random,
  });
  const now = (): number => scheduler.now();

  const status = new BehaviorSubject<SyncStatus>({ state: 'idle' });
  const outcomes = new Subject<SyncOutcome>();
  const stats = new ReplaySubject<SyncStats>(1);
  const statsChanged = new Subject<void>();
  /** Emits when the engine starts stopping: waits for a token or the rate budget are abandoned. */
  const abandon = new Subject<void>();
  const counters = createEngineCounters(config.rateWindowMs);
  const registry = createDeliveryRegistry();
  const flushes = createFlushWaiters();
  const timers = createEngineTimers(scheduler);
  const abortController = new AbortController();

  let phase: EnginePhase = 'created';
  let stopPromise: Promise<StopReport> | undefined;
  let triggers: Subscription | undefined;
  /** Set by flush(): try once even though paused (a person asked). */
  let forceProbe = false;
  let maxBatchBytes = config.maxBatchBytes;
  let backingOffUntil = 0;
  /** Token refusals in a row by a failing token endpoint (5xx): the backoff grows with them. */
  let tokenFailures = 0;

  const kick = (reason: string): void => {
    if (phase === 'stopped') return;
    logger.debug('drain triggered', { reason });
    loop.kick();
  };
  const pauses = createEnginePauses(timers, logger, () => kick('pause-ended'));
  const holdBack = (): 'paused' | 'stopping' | undefined => {
    if (!maySend(phase)) return 'stopping';
    return pauses.hostOnline && pauses.current === undefined ? undefined : 'paused';
  };
  const canSend = (): boolean => holdBack() === undefined;

  const refreshStatus = (): void => {
    if (status.closed) return;
    const next = deriveStatus({
      now: now(),
      stopped: phase === 'stopped',
      pause: pauses.current,
      hostOnline: pauses.hostOnline,
      rateLimitedUntil: budget.pausedUntil(),
      rateLimitReason: pacing.reason,
      inFlight: exchange.inFlight,
      waitingForBudget: pacing.waiting,
      backingOffUntil,
    });
    if (!sameStatus(status.getValue(), next)) status.next(next);
  };

  const pacing = createPacing({
    budget,
    shared: store.budgets,
    key: DEFAULT_BUDGET_KEY,
    abandon,
    logger,
    stopping: () => phase === 'stopping' || phase === 'stopped',
    changed: refreshStatus,
  });

  const onSignal = (signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void => {
    if (signal.type === 'rate-limited') {
      counters.rateLimited += 1;
      void pacing.rateLimited(signal.policy, signal.delayMs);
    } else {
      const delayMs = signal.type === 'offline' ? config.offlineProbeMs : config.authRetryMs;
      pauses.enter({ state: signal.type, reason: signal.message, until: now() + delayMs });
      refreshStatus();
    }
    statsChanged.next();
  };

  /** The token source failed: pause as offline, back off (growing while it keeps failing) or as unauthorized. */
  const onTokenTrouble = ({ pause, reason }: TokenTrouble): void => {
    const delayMs =
      pause === 'offline'
        ? config.offlineProbeMs
        : pause === 'backing-off'
          ? backoff(tokenFailures++)
          : config.authRetryMs;
    pauses.enter({ state: pause, reason, until: now() + delayMs });
    refreshStatus();
    statsChanged.next();
  };

  const exchange = createBatchExchange({
    config,
    tokens: resolveTokenProvider(options.accessToken),
    counters,
    now,
    canSend,
    acquire: () => pacing.acquire(),
    untilStopping: (promise) =>
      firstValueFrom(race(from(promise), abandon.pipe(map(() => undefined))), { defaultValue: undefined }),
    signal: abortController.signal,
    changed: () => {
      statsChanged.next();
      refreshStatus();
    },
    tokenObtained: () => {
      tokenFailures = 0;
    },
  });

  const report = createSettleAndReport({
    store,
    owner: config.owner,
    logger,
    outcomes,
    registry,
    counters,
    now,
    changed: () => statsChanged.next(),
  });

  const batchContext: BatchContext = {
    options: config,
    now,
    maxBatchBytes: () => maxBatchBytes,
    shrinkMaxBatchBytes(toBytes) {
      const next = Math.max(1, Math.min(maxBatchBytes, toBytes));
      if (next < maxBatchBytes)
        logger.info('shrinking the byte budget per request after a 413', { bytes: next });
      maxBatchBytes = next;
    },
    acquire: () => pacing.acquire(),
    exchange,
    rateLimitedUntil: () => budget.pausedUntil(),
    holdBack,
    report,
    onSignal,
    onTokenTrouble,
    backoff,
  };

  const pass = async (): Promise<void> => {
    if (!maySend(phase)) return;
    if (pauses.probeIfDue(now(), forceProbe)) refreshStatus();
    forceProbe = false;
    if (!canSend()) return;
    await runWorkers({ config, store, batch: batchContext });
  };

  const totals = (): FlushTotals => ({
    delivered: counters.delivered,
    dead: counters.dead,
    retries: counters.retries,
  });

  /** When the next entry is due (ms from now) and the backlog's counts; nothing when the store cannot say. */
  const lookAhead = async (): Promise<{
    dueIn: number | null;
    backlog: Pick<OutboxStats, 'pending' | 'inFlight'>;
  }> => {
    try {
      const [dueIn, backlog] = await Promise.all([store.nextDueIn(), store.stats()]);
      return { dueIn, backlog };
    } catch (error) {
      logger.warn('could not read the store after a pass', { error: describeError(error) });
      return { dueIn: null, backlog: { pending: 0, inFlight: 0 } };
    }
  };

  const afterLoop = async (): Promise<void> => {
    const { dueIn, backlog } = await lookAhead();
    const time = now();
    // Nothing is due, yet events wait: their retry time (a backoff, or a wait HubSpot asked for) is what holds.
    backingOffUntil = dueIn !== null && dueIn > 0 && backlog.pending > 0 ? time + dueIn : 0;
    if (maySend(phase)) {
      if (dueIn !== null && dueIn > 0)
        timers.at('due', time + Math.min(dueIn, MAX_DELAY_MS), () => kick('due'));
      const pausedUntil = budget.pausedUntil();
      if (pausedUntil > time) timers.at('rate-limit', pausedUntil, () => kick('rate-limit-ended'));
      if (backingOffUntil > 0) timers.at('backing-off', backingOffUntil, refreshStatus);
    }
    refreshStatus();
    flushes.answer({
      nothingDue: dueIn === null || dueIn > 0,
      blockedBy: pauses.blocker(),
      rateLimited: budget.pausedUntil() > time,
      totals: totals(),
      // The loop has ended, so every lease this engine took is settled or given back: the rest are others'.
      leasedElsewhere: backlog.inFlight,
    });
  };

  const loop = createDrainLoop({
    pass,
    afterLoop,
    onError: (error) => logger.error('drain pass failed; will try again', { error: describeError(error) }),
  });

  const flushInternal = (waitThroughRateLimit: boolean): Promise<FlushReport> => {
    const flushed = flushes.add(totals(), waitThroughRateLimit);
    forceProbe = true;
    kick('flush');
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
    heldBudget.release();
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
    await loop.idle();
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
        budget,
        registry,
        lookup: (id) => store.get(id),
        pollStore: () => pacing.readShared(),
        kick,
        statsChanged: () => statsChanged.next(),
        rateLimited: (until, reason) => {
          pacing.pausedElsewhere(reason);
          timers.at('rate-limit', until, () => kick('rate-limit-ended'));
          refreshStatus();
        },
        hostOnline: (online) => {
          pauses.setHostOnline(online);
          refreshStatus();
          if (online) kick('online');
        },
      });
      statsChanged.next();
      // A pause kept in the store (a DAILY 429 before a restart, another process's 429) holds from the start.
      pacing
        .readShared()
        .catch((error: unknown) => logger.warn('could not read the store', { error: describeError(error) }))
        .finally(() => kick('start'));
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

    flush() {
      if (!maySend(phase)) return Promise.reject(stopError());
      return flushInternal(true);
    },

    whenDelivered(id: string) {
      return registry.wait(id, (key) => store.get(key));
    },

    status$: status.asObservable(),
    stats$: stats.asObservable(),
    outcomes$: outcomes.asObservable(),
  };
}
