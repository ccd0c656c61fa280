import {
  createBackoff,
  DeliveryError,
  type GlobalSignal,
  HublineError,
  type InterpretContext,
  utf8ByteLength,
  ValidationError,
  v3Dialect,
  type WireRequest,
} from '@hubline/core';
import type { ClaimedEntry, Settlement } from '@hubline/outbox';
import {
  BehaviorSubject,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  from,
  interval,
  map,
  merge,
  type Observable,
  ReplaySubject,
  race,
  Subject,
  type Subscription,
  takeUntil,
  throttleTime,
} from 'rxjs';
import { resolveTokenProvider } from '../auth/resolve-token-provider.js';
import type { RateBudget } from '../contracts.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { createDeliveryRegistry } from './delivery-registry.js';
import { createDrainLoop } from './drain-loop.js';
import { createEngineCounters } from './engine-counters.js';
import { nextTurn } from './next-turn.js';
import { resolveSyncOptions } from './options.js';
import { resolveRateBudget } from './resolve-rate-budget.js';
import { type BatchContext, type EnginePause, sendBatch } from './send-batch.js';
import { releaseSettlements } from './settlement.js';
import { createStopDeadline } from './stop-deadline.js';
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

interface FlushWaiter {
  readonly start: { delivered: number; dead: number; retries: number };
  /** Whether a rate-limit pause should be waited out (flush) or not (stop with drain). */
  readonly waitThroughRateLimit: boolean;
  resolve(report: FlushReport): void;
  reject(error: Error): void;
}

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
  const { outbox, scheduler, logger, dialect } = config;
  const tokens = resolveTokenProvider(options.accessToken);
  const budget: RateBudget = resolveRateBudget(options.rateLimit, config, options.accessToken);
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
  const abandon = new Subject<void>();
  const counters = createEngineCounters(config.rateWindowMs);
  const registry = createDeliveryRegistry();
  const flushWaiters = new Set<FlushWaiter>();

  let started = false;
  let stopping = false;
  let draining = false;
  let stopped = false;
  let stopPromise: Promise<StopReport> | undefined;
  const abortController = new AbortController();
  let hostOnline = true;
  let pause: EnginePause | undefined;
  /** Set by flush(): try once even though paused (a person asked). */
  let forceProbe = false;
  let inFlight = 0;
  let maxBatchBytes = config.maxBatchBytes;
  let rateLimitReason = 'rate limited';
  let backingOffUntil = 0;
  let retriesThisLoop = 0;
  let subscriptions: Subscription[] = [];
  const timers = new Map<string, Subscription>();

  const at = (name: string, time: number, work: () => void): void => {
    timers.get(name)?.unsubscribe();
    timers.set(
      name,
      scheduler.schedule(
        () => {
          timers.delete(name);
          work();
        },
        Math.max(0, time - now()),
      ),
    );
  };

  const currentStatus = (): SyncStatus => {
    if (stopped) return { state: 'stopped' };
    if (pause !== undefined) return { state: pause.state, reason: pause.reason, until: pause.until };
    if (!hostOnline) return { state: 'offline', reason: 'online$ says the network is down' };
    const pausedUntil = budget.pausedUntil();
    if (pausedUntil > now()) return { state: 'rate-limited', reason: rateLimitReason, until: pausedUntil };
    if (inFlight > 0) return { state: 'sending' };
    if (backingOffUntil > now())
      return { state: 'backing-off', reason: 'retrying failed events', until: backingOffUntil };
    return { state: 'idle' };
  };
  const refreshStatus = (): void => {
    if (status.closed) return;
    const next = currentStatus();
    const last = status.getValue();
    if (last.state !== next.state || last.reason !== next.reason || last.until !== next.until)
      status.next(next);
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
      logger.warn('could not read outbox stats', { error: describe(error) });
      return undefined;
    }
  };

  const settle = (settlements: readonly Settlement[], entries: readonly ClaimedEntry[]): void => {
    const result = outbox.settle(config.owner, settlements);
    if (result.lost.length > 0) {
      logger.warn('lease lost before settling; another holder owns these events now', { ids: result.lost });
    }
    // Almost always every settlement applies; only then can the lookup set be skipped.
    const applied = result.applied.length === settlements.length ? undefined : new Set(result.applied);
    let attemptsOf: Map<string, number> | undefined;
    const attemptsBefore = (id: string): number => {
      attemptsOf ??= new Map(entries.map((entry) => [entry.id, entry.attempts]));
      return attemptsOf.get(id) ?? 0;
    };
    const time = now();
    let delivered = 0;
    for (const settlement of settlements) {
      if (applied !== undefined && !applied.has(settlement.id)) continue;
      if (settlement.type === 'delivered') {
        delivered += 1;
        outcomes.next({ type: 'delivered', id: settlement.id, alreadyExisted: settlement.alreadyExisted });
        registry.delivered(settlement.id);
      } else if (settlement.type === 'dead') {
        counters.dead += 1;
        logger.warn('event dead-lettered', { id: settlement.id, category: settlement.category });
        outcomes.next({
          type: 'dead',
          id: settlement.id,
          category: settlement.category,
          message: settlement.message,
          ...(settlement.status === undefined ? {} : { status: settlement.status }),
        });
        registry.dead(settlement.id, settlement.category, settlement.message, settlement.status);
      } else {
        counters.retries += 1;
        if (settlement.countsAsAttempt) retriesThisLoop += 1;
        outcomes.next({
          type: 'retrying',
          id: settlement.id,
          reason: settlement.reason,
          countsAsAttempt: settlement.countsAsAttempt,
          attempts: attemptsBefore(settlement.id) + (settlement.countsAsAttempt ? 1 : 0),
          nextAttemptAt: settlement.nextAttemptAt,
          ...(settlement.status === undefined ? {} : { status: settlement.status }),
        });
      }
    }
    if (delivered > 0) counters.addDelivered(delivered, time);
    statsChanged.next();
  };

  const enterPause = (next: EnginePause): void => {
    pause = next;
    logger.warn(`paused: ${next.state}`, { reason: next.reason, until: next.until });
    at('pause', next.until, () => kick('pause-ended'));
    refreshStatus();
  };

  const onSignal = (signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void => {
    switch (signal.type) {
      case 'rate-limited':
        counters.rateLimited += 1;
        rateLimitReason = `HubSpot said 429 (${signal.policy})`;
        budget.pause(signal.delayMs, rateLimitReason);
        break;
      case 'unauthorized':
        enterPause({ state: 'unauthorized', reason: signal.message, until: now() + config.authRetryMs });
        break;
      case 'forbidden':
        enterPause({ state: 'forbidden', reason: signal.message, until: now() + config.authRetryMs });
        break;
      case 'offline':
        enterPause({ state: 'offline', reason: signal.message, until: now() + config.offlineProbeMs });
        break;
    }
    statsChanged.next();
  };

  const acquire = async (): Promise<boolean> => {
    if (stopping && !draining) return false;
    const got = await firstValueFrom(
      budget.acquire().pipe(
        map(() => true),
        takeUntil(abandon),
      ),
      { defaultValue: false },
    );
    return got;
  };

  /** The promise's value, or `undefined` as soon as the engine starts stopping (the promise is left to settle alone). */
  const untilStopping = <T>(promise: Promise<T>): Promise<T | undefined> =>
    firstValueFrom(race(from(promise), abandon.pipe(map(() => undefined))), { defaultValue: undefined });

  const exchange: BatchContext['exchange'] = async (entries) => {
    const request = encodeRequest(entries);
    const context: { now: number } & InterpretContext = {
      now: 0,
      requestBytes: () => utf8ByteLength(request.body),
    };
    let refreshed = false;
    for (;;) {
      let token: string | undefined;
      try {
        token = await untilStopping(tokens.getToken({ baseUrl: config.baseUrl }));
      } catch (error) {
        // The provider's own errors are secret-free by contract; still, only the message is kept.
        const message = `no access token: ${describe(error)}`;
        return {
          answer: { kind: 'failure', failure: 'aborted', message } as const,
          interpretation: {
            outcomes: entries.map((entry) => ({
              type: 'retry' as const,
              id: entry.id,
              countsAsAttempt: false,
              reason: message,
            })),
            signal: { type: 'unauthorized', category: 'TOKEN_UNAVAILABLE', message },
          },
        };
      }
      // Stopping (or paused by another request's answer) while the token was on its way: nothing goes out.
      if (token === undefined || !canSend()) return undefined;
      inFlight += 1;
      counters.requests += 1;
      refreshStatus();
      let answer: Awaited<ReturnType<typeof config.transport>>;
      try {
        answer = await config.transport({
          baseUrl: config.baseUrl,
          path: request.path,
          method: request.method,
          body: request.body,
          accessToken: token,
          timeoutMs: config.requestTimeoutMs,
          signal: abortController.signal,
        });
      } finally {
        inFlight -= 1;
      }
      context.now = now();
      // The dialect reads only the ids of what was sent: the claimed entries, never parsed back into events.
      const interpretation = dialect.interpret(entries, answer, context);
      logger.debug('batch answered', {
        events: entries.length,
        ...(answer.kind === 'response' ? { status: answer.status } : { failure: answer.failure }),
      });
      if (interpretation.signal?.type === 'unauthorized' && !refreshed && !abortController.signal.aborted) {
        // HubSpot refused this token: ask once for a fresh one and send the same batch again.
        refreshed = true;
        tokens.invalidate(token);
        if (await acquire()) continue;
      }
      statsChanged.next();
      refreshStatus();
      return { answer, interpretation };
    }
  };

  /** The dialect's request; from the stored JSON texts when it can take them, without re-serialising events. */
  const encodeRequest = (entries: readonly ClaimedEntry[]): WireRequest =>
    dialect.encodeJson === undefined
      ? dialect.encode(entries.map((entry) => entry.event))
      : dialect.encodeJson(entries.map((entry) => entry.json));

  const canSend = (): boolean => !stopped && (!stopping || draining) && hostOnline && pause === undefined;

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
    exchange,
    mustStop: () => !canSend(),
    rateLimitedUntil: () => budget.pausedUntil(),
    settle,
    onSignal,
    backoff,
  };

  /** Lease the next page once a request token is in hand; `undefined` when nothing is due or sending must stop. */
  const nextPage = async (): Promise<ClaimedEntry[] | undefined> => {
    if (!canSend()) return undefined;
    const due = outbox.nextDueAt();
    if (due === null || due > now()) return undefined;
    if (!(await acquire()) || !canSend()) return undefined;
    const entries = outbox.claim({
      limit: config.batchSize,
      maxBytes: maxBatchBytes,
      leaseMs: config.leaseMs,
      owner: config.owner,
    });
    return entries.length === 0 ? undefined : entries;
  };

  const worker = async (): Promise<void> => {
    let entries = await nextPage();
    // The previous batch, possibly still writing its settlements while the next request is on the wire.
    let previous: Promise<void> = Promise.resolve();
    try {
      while (entries !== undefined) {
        let answered: () => void = () => {};
        const lastAnswer = new Promise<void>((resolve) => {
          answered = resolve;
        });
        const sending = sendBatch(batchContext, entries, true, () => answered());
        // Marked handled here; awaited (and so rethrown) before this worker ends.
        sending.catch(() => {});
        // Claiming and settling are synchronous SQLite work; doing them while a request is on the wire keeps them
        // off the critical path. Still one request in flight per worker: the next page goes out only once this
        // batch's last answer is in (its settlements are then written while the next request travels). The
        // claim waits for the next turn of the event loop: the request is written by then, so the server works
        // on it while this thread claims (claiming first would hold the request back by the claim's duration).
        const prefetch = nextTurn().then(nextPage);
        await Promise.race([lastAnswer, sending]);
        await previous;
        previous = sending;
        entries = await prefetch;
        if (entries === undefined) break;
        if (!canSend()) {
          await sending;
          // Paused or stopping while the page waited: give it back untouched.
          settle(releaseSettlements(entries, 'engine paused or stopping before sending', now()), entries);
          return;
        }
      }
    } finally {
      await previous;
    }
  };

  const pass = async (): Promise<void> => {
    if (stopped || (stopping && !draining)) return;
    if (pause !== undefined && (forceProbe || now() >= pause.until)) {
      logger.info(`probing after ${pause.state}`);
      pause = undefined;
      timers.get('pause')?.unsubscribe();
      refreshStatus();
    }
    forceProbe = false;
    if (!canSend()) return;
    await Promise.all(Array.from({ length: config.maxInFlight }, () => worker()));
  };

  const afterLoop = (): void => {
    const next = safeNextDueAt();
    const time = now();
    backingOffUntil = retriesThisLoop > 0 && next !== null && next > time ? next : 0;
    retriesThisLoop = 0;
    if (!stopped && !(stopping && !draining)) {
      if (next !== null && next > time) at('due', next, () => kick('due'));
      const pausedUntil = budget.pausedUntil();
      if (pausedUntil > time) at('rate-limit', pausedUntil, () => kick('rate-limit-ended'));
      if (backingOffUntil > 0) at('backing-off', backingOffUntil, refreshStatus);
    }
    refreshStatus();
    answerFlushWaiters(next);
  };

  const loop = createDrainLoop({
    pass,
    afterLoop,
    onError: (error) => logger.error('drain pass failed; will try again', { error: describe(error) }),
  });
  const kick = (reason: string): void => {
    if (stopped) return;
    logger.debug('drain triggered', { reason });
    loop.kick();
  };

  /** Events recorded since the linger timer started. */
  let lingering = 0;
  const onRecorded = (count: number): void => {
    lingering += count;
    if (config.batchDelayMs === 0 || lingering >= config.batchSize) {
      // A full request's worth is waiting (or no linger): send now.
      timers.get('linger')?.unsubscribe();
      timers.delete('linger');
      lingering = 0;
      kick('recorded');
      return;
    }
    if (timers.has('linger')) return;
    at('linger', now() + config.batchDelayMs, () => {
      lingering = 0;
      kick('recorded');
    });
  };

  const safeNextDueAt = (): number | null => {
    try {
      return outbox.nextDueAt();
    } catch {
      return null;
    }
  };

  const blocker = (): FlushBlocker | undefined => {
    if (pause !== undefined) return pause.state;
    if (!hostOnline) return 'offline';
    return undefined;
  };

  const answerFlushWaiters = (next: number | null): void => {
    if (flushWaiters.size === 0) return;
    const time = now();
    const blockedBy = blocker();
    const nothingDue = next === null || next > time;
    const rateLimited = budget.pausedUntil() > time;
    for (const waiter of flushWaiters) {
      if (blockedBy === undefined && !nothingDue) continue;
      if (blockedBy === undefined && rateLimited && waiter.waitThroughRateLimit) continue;
      flushWaiters.delete(waiter);
      waiter.resolve({
        delivered: counters.delivered - waiter.start.delivered,
        dead: counters.dead - waiter.start.dead,
        retrying: counters.retries - waiter.start.retries,
        ...(blockedBy === undefined ? {} : { blockedBy }),
      });
    }
  };

  const flushInternal = (waitThroughRateLimit: boolean): Promise<FlushReport> =>
    new Promise<FlushReport>((resolve, reject) => {
      flushWaiters.add({
        start: { delivered: counters.delivered, dead: counters.dead, retries: counters.retries },
        waitThroughRateLimit,
        resolve,
        reject,
      });
      forceProbe = true;
      kick('flush');
    });

  const stopError = (): DeliveryError => new DeliveryError('ENGINE_STOPPED', 'The sync engine was stopped');

  /** stop()'s deadline: when it passes, the drain is cut short and requests in flight are aborted. */
  const stopDeadline = createStopDeadline(scheduler, () => {
    stopping = true;
    draining = false;
    abortController.abort();
    abandon.next();
  });

  const statsStream = statsChanged.pipe(
    throttleTime(config.statsIntervalMs, scheduler, { leading: true, trailing: true }),
    map(snapshot),
    filter((value): value is SyncStats => value !== undefined),
  );
  const statsSubscription = statsStream.subscribe((value) => stats.next(value));

  return {
    start() {
      // Once stop() is called (a drain may still be running), the engine can only finish stopping.
      if (started || stopPromise !== undefined) return;
      started = true;
      const triggers: Observable<string>[] = [
        interval(config.pollIntervalMs, scheduler).pipe(map(() => 'poll')),
      ];
      subscriptions.push(outbox.recorded$.subscribe(onRecorded));
      subscriptions.push(
        interval(config.pollIntervalMs, scheduler).subscribe(() => {
          try {
            registry.recheck((id) => outbox.get(id));
          } catch (error) {
            // The app may have closed the outbox before stopping the engine; never crash the process for it.
            logger.warn('could not look up awaited events', { error: describe(error) });
          }
          statsChanged.next();
        }),
        budget.paused$.subscribe(({ until, reason }) => {
          rateLimitReason = reason;
          at('rate-limit', until, () => kick('rate-limit-ended'));
          refreshStatus();
        }),
      );
      if (config.online$ !== undefined) {
        subscriptions.push(
          config.online$.pipe(distinctUntilChanged()).subscribe((online) => {
            hostOnline = online;
            if (online && pause?.state === 'offline') {
              pause = undefined;
              timers.get('pause')?.unsubscribe();
            }
            refreshStatus();
            if (online) kick('online');
          }),
        );
      }
      subscriptions.push(merge(...triggers).subscribe(kick));
      statsChanged.next();
      kick('start');
    },

    stop(stopOptions: StopOptions = {}) {
      const { timeoutMs } = stopOptions;
      if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
        return Promise.reject(
          new ValidationError('stop options', [
            { path: 'timeoutMs', message: `must be a non-negative number of ms, got ${String(timeoutMs)}` },
          ]),
        );
      }
      if (stopPromise !== undefined) {
        // A second call (a second Ctrl-C, say) may only bring the deadline closer.
        if (timeoutMs !== undefined && !stopped) stopDeadline.set(timeoutMs);
        return stopPromise;
      }
      stopPromise = (async () => {
        if (timeoutMs !== undefined) stopDeadline.set(timeoutMs);
        if (stopOptions.drain === true && !stopDeadline.passed()) {
          draining = true;
          try {
            await Promise.race([flushInternal(false), stopDeadline.reached]);
          } catch {
            // Stopped from elsewhere meanwhile; carry on stopping.
          }
        }
        stopping = true;
        draining = false;
        // No new request: waits for the rate budget or a token end now; requests in flight finish (or the
        // deadline aborts them).
        abandon.next();
        await loop.idle();
        stopDeadline.cancel();
        if (stopDeadline.passed()) logger.info('stop deadline reached; anything still in flight was aborted');
        for (const subscription of subscriptions) subscription.unsubscribe();
        subscriptions = [];
        for (const timer of timers.values()) timer.unsubscribe();
        timers.clear();
        stopped = true;
        const error = stopError();
        registry.close(error);
        for (const waiter of flushWaiters) waiter.reject(error);
        flushWaiters.clear();
        statsSubscription.unsubscribe();
        const last = snapshot();
        if (last !== undefined) stats.next(last);
        refreshStatus();
        logger.info('sync engine stopped');
        status.complete();
        stats.complete();
        outcomes.complete();
        return { timedOut: stopDeadline.passed() };
      })();
      return stopPromise;
    },

    flush() {
      if (stopped || stopping) return Promise.reject(stopError());
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

function describe(error: unknown): string {
  if (error instanceof HublineError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.name;
  return 'unknown error';
}
