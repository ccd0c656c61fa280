import { createBackoff, DeliveryError, type GlobalSignal, ValidationError, v3Dialect } from '@hubline/core';
import {
  BehaviorSubject,
  defaultIfEmpty,
  filter,
  firstValueFrom,
  from,
  map,
  ReplaySubject,
  race,
  Subject,
  type Subscription,
  take,
  takeUntil,
  throttleTime,
} from 'rxjs';
import { resolveTokenProvider } from '../auth/resolve-token-provider.js';
import type { RateGrant } from '../contracts.js';
import { UNCOUNTED_GRANT } from '../pacing/uncounted-grant.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { createDeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import { createDrainLoop } from './drain-loop.js';
import { createEngineCounters } from './engine-counters.js';
import { type EnginePhase, maySend, nextPhase } from './engine-phase.js';
import { createBatchExchange, type TokenTrouble } from './exchange.js';
import { createFlushWaiters, type FlushTotals } from './flush-waiters.js';
import { MAX_DELAY_MS, resolveSyncOptions } from './options.js';
import { createEnginePauses } from './pauses.js';
import { resolveRateBudget } from './resolve-rate-budget.js';
import type { BatchContext } from './send-batch.js';
import { createSettleAndReport } from './settle-and-report.js';
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

/**
 * Create the delivery engine that drains an outbox to HubSpot exactly once by id.
 *
 * Triggers (new records, an interval, `online$` turning true, `flush()`, the next due time, the end of a pause)
 * all feed one drain loop that never runs twice at once. Each pass claims a page from the outbox, waits for the
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
  const { outbox, scheduler, logger } = config;
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
  let rateLimitReason = 'rate limited';
  let backingOffUntil = 0;
  /** Waits for the rate budget that did not end at once. */
  let waitingForBudget = 0;
  /** Token refusals in a row by a failing token endpoint (5xx): the backoff grows with them. */
  let tokenFailures = 0;

  const kick = (reason: string): void => {
    if (phase === 'stopped') return;
    logger.debug('drain triggered', { reason });
    loop.kick();
  };
  const pauses = createEnginePauses(timers, logger, () => kick('pause-ended'));
  const canSend = (): boolean => maySend(phase) && pauses.hostOnline && pauses.current === undefined;

  const refreshStatus = (): void => {
    if (status.closed) return;
    const next = deriveStatus({
      now: now(),
      stopped: phase === 'stopped',
      pause: pauses.current,
      hostOnline: pauses.hostOnline,
      rateLimitedUntil: budget.pausedUntil(),
      rateLimitReason,
      inFlight: exchange.inFlight,
      waitingForBudget,
      backingOffUntil,
    });
    if (!sameStatus(status.getValue(), next)) status.next(next);
  };

  const snapshot = (): SyncStats | undefined => {
    try {
      return {
        ...outbox.stats(),
        requests: counters.requests,
        rateLimited: counters.rateLimited,
        retries: counters.retries,
        deliveredByEngine: counters.delivered,
        deadByEngine: counters.dead,
        deliveryRate: counters.deliveryRate(now()),
      };
    } catch (error) {
      logger.warn('could not read outbox stats', { error: describeError(error) });
      return undefined;
    }
  };

  const onSignal = (signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void => {
    if (signal.type === 'rate-limited') {
      counters.rateLimited += 1;
      rateLimitReason = `HubSpot said 429 (${signal.policy})`;
      budget.pause(signal.delayMs, rateLimitReason);
    } else {
      const delayMs = signal.type === 'offline' ? config.offlineProbeMs : config.authRetryMs;
      pauses.enter({ state: signal.type, reason: signal.message, until: now() + delayMs });
      refreshStatus();
    }
    statsChanged.next();
  };

  /**
   * A slot of the rate budget, or `undefined` once the engine is stopping (the wait is then abandoned). A wait that
   * does not end at once shows as `pacing`.
   */
  const acquire = (): Promise<RateGrant | undefined> => {
    if (phase === 'stopping' || phase === 'stopped') return Promise.resolve(undefined);
    return new Promise<RateGrant | undefined>((resolve) => {
      let waiting = false;
      const done = (grant: RateGrant | undefined): void => {
        if (waiting) {
          waitingForBudget -= 1;
          refreshStatus();
        }
        resolve(grant);
      };
      const subscription = budget
        .acquire()
        .pipe(
          // A budget of the app's own may emit nothing: its slots count from the grant.
          map((grant) => grant ?? UNCOUNTED_GRANT),
          takeUntil(abandon),
          defaultIfEmpty(undefined),
          take(1),
        )
        .subscribe(done);
      if (!subscription.closed) {
        waiting = true;
        waitingForBudget += 1;
        refreshStatus();
      }
    });
  };

  const exchange = createBatchExchange({
    config,
    tokens: resolveTokenProvider(options.accessToken),
    counters,
    now,
    canSend,
    acquire,
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

  const settle = createSettleAndReport({
    outbox,
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
    acquire,
    exchange: (entries, grant) => exchange.send(entries, grant),
    mustStop: () => !canSend(),
    rateLimitedUntil: () => budget.pausedUntil(),
    settle,
    onSignal,
    onTokenTrouble,
    backoff,
  };

  const pass = async (): Promise<void> => {
    if (!maySend(phase)) return;
    if (pauses.probeIfDue(now(), forceProbe)) refreshStatus();
    forceProbe = false;
    if (!canSend()) return;
    await runWorkers({
      config,
      outbox,
      batch: batchContext,
      maxBatchBytes: () => maxBatchBytes,
      canSend,
      acquire,
      now,
      settle,
    });
  };

  const totals = (): FlushTotals => ({
    delivered: counters.delivered,
    dead: counters.dead,
    retries: counters.retries,
  });

  const afterLoop = (): void => {
    const next = safeNextDueAt();
    const time = now();
    const backlog = safeBacklog();
    // Nothing is due, yet events wait: their retry time (a backoff, or a wait HubSpot asked for) is what holds.
    backingOffUntil = next !== null && next > time && backlog.pending > 0 ? next : 0;
    if (maySend(phase)) {
      if (next !== null && next > time) timers.at('due', next, () => kick('due'));
      const pausedUntil = budget.pausedUntil();
      if (pausedUntil > time) timers.at('rate-limit', pausedUntil, () => kick('rate-limit-ended'));
      if (backingOffUntil > 0) timers.at('backing-off', backingOffUntil, refreshStatus);
    }
    refreshStatus();
    flushes.answer({
      nothingDue: next === null || next > time,
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

  /** Pending and leased counts, or zeros when the outbox cannot say (closed under the engine). */
  const safeBacklog = (): { pending: number; inFlight: number } => {
    try {
      return outbox.stats();
    } catch {
      return { pending: 0, inFlight: 0 };
    }
  };

  const safeNextDueAt = (): number | null => {
    try {
      return outbox.nextDueAt();
    } catch {
      return null;
    }
  };

  const flushInternal = (waitThroughRateLimit: boolean): Promise<FlushReport> => {
    const report = flushes.add(totals(), waitThroughRateLimit);
    forceProbe = true;
    kick('flush');
    return report;
  };

  const stopError = (): DeliveryError => new DeliveryError('ENGINE_STOPPED', 'The sync engine was stopped');

  /** stop()'s deadline: when it passes, the drain is cut short and requests in flight are aborted. */
  const stopDeadline = createStopDeadline(scheduler, () => {
    phase = nextPhase(phase, 'stop');
    abortController.abort();
    abandon.next();
  });

  const statsSubscription = statsChanged
    .pipe(
      throttleTime(config.statsIntervalMs, scheduler, { leading: true, trailing: true }),
      map(snapshot),
      filter((value): value is SyncStats => value !== undefined),
    )
    .subscribe((value) => stats.next(value));

  /** The end of stopping: nothing is in flight any more; release every resource and complete the streams. */
  const finishStopping = (): StopReport => {
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
    const last = snapshot();
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
        lookup: (id) => outbox.get(id),
        kick,
        statsChanged: () => statsChanged.next(),
        rateLimited: (until, reason) => {
          rateLimitReason = reason;
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
      kick('start');
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
      return registry.wait(id, (key) => outbox.get(key));
    },

    status$: status.asObservable(),
    stats$: stats.asObservable(),
    outcomes$: outcomes.asObservable(),
  };
}
