import type { Backoff, GlobalSignal } from '@hubline/core';
import { type DeliveryStore, MAX_DELAY_MS, type OutboxStats } from '@hubline/core/store';
import { firstValueFrom, from, map, type Observable, race, type Subject, type Subscription } from 'rxjs';
import type { TokenProvider } from '../contracts.js';
import type { HeldRateBudget } from '../pacing/shared-rate-budget.js';
import { createConfirmations } from './confirmations.js';
import type { DeliveryRegistry } from './delivery-registry.js';
import { describeError } from './describe-error.js';
import { createDrainLoop } from './drain-loop.js';
import { createEngineCounters, type EngineCounters } from './engine-counters.js';
import { createBatchExchange, type TokenTrouble } from './exchange.js';
import type { ResolvedSyncOptions } from './options.js';
import { createPacing } from './pacing.js';
import { createPauseState } from './pauses.js';
import type { BatchContext } from './send-batch.js';
import { createSettleAndReport } from './settle-and-report.js';
import { deriveStatus } from './status.js';
import { createEngineTimers } from './timers.js';
import type { FlushBlocker, SyncOutcome, SyncStatus } from './types.js';
import { runWorkers } from './workers.js';

/** What a lane needs from the engine around it. */
export interface LaneDeps {
  /** The HubSpot account (portal) this lane delivers for. */
  readonly account: string;
  /** The engine's resolved options. */
  readonly config: ResolvedSyncOptions;
  /** The store entries are claimed from and settled in. */
  readonly store: DeliveryStore;
  /** This account's access tokens. */
  readonly tokens: TokenProvider;
  /** This account's rate budget, held until the lane closes. */
  readonly budget: HeldRateBudget;
  /** The retry delay policy, shared by every lane. */
  readonly backoff: Backoff;
  /** `whenDelivered` waiters, answered as entries settle. */
  readonly registry: DeliveryRegistry;
  /** The engine's `outcomes$`. */
  readonly outcomes: Pick<Subject<SyncOutcome>, 'next'>;
  /** Emits when the engine starts stopping: waits for a token or the rate budget are abandoned. */
  readonly abandon: Observable<void>;
  /** Aborts requests in flight (the stop deadline). */
  readonly signal: AbortSignal;
  /** Why the whole engine holds back (`stopping`, or `paused` while offline), or `undefined`. */
  engineHold(): 'paused' | 'stopping' | undefined;
  /** The network is gone (no connection could be made): the whole engine pauses, not only this account. */
  offline(message: string): void;
  /** Something the status or the stats are made of changed. */
  changed(): void;
  /** This lane's drain loop ended and is no longer running (flushes may be answered). */
  loopEnded(): void;
}

/** What a lane's last loop found, for `flush()`. */
export interface LaneFacts {
  /** Nothing of this account's is due now. */
  readonly nothingDue: boolean;
  /** This account's rate budget is paused by a 429. */
  readonly rateLimited: boolean;
  /** Why this account cannot send, if it cannot. */
  readonly blockedBy: FlushBlocker | undefined;
  /** This account's entries other engines hold. */
  readonly leasedElsewhere: number;
}

/** One account's delivery: its token, rate budget, pauses, drain loop and status. */
export interface AccountLane {
  /** The HubSpot account (portal) this lane delivers for. */
  readonly account: string;
  /** What this engine counted for the account. */
  readonly counters: EngineCounters;
  /** Ask for a pass; `probe` also tries once through a pause (a person asked: flush). */
  kick(reason: string, probe?: boolean): void;
  /** Whether a pass is running. */
  readonly running: boolean;
  /** Resolves once no pass is running. */
  idle(): Promise<void>;
  /** The account's status, leaving out what the engine decides for every account (stopped, offline). */
  status(): SyncStatus;
  /** What the last loop found; `undefined` before the first one ended. */
  facts(): LaneFacts | undefined;
  /** A 429 pause another process keeps in the store (read on each poll). */
  readShared(): Promise<void>;
  /** Stop the timers and let go of the rate budget (the engine stopped). */
  close(): void;
}

/**
 * Create the delivery lane of one account. Lanes are independent: one account throttled, unauthorized or
 * forbidden never holds up another, and a batch never mixes accounts.
 *
 * @param deps - the account and the engine around the lane
 */
export function createAccountLane(deps: LaneDeps): AccountLane {
  const { account, config, store, backoff, budget: held } = deps;
  const { scheduler, logger } = config;
  const budget = held.budget;
  const now = (): number => scheduler.now();
  const timers = createEngineTimers(scheduler);
  const counters = createEngineCounters(config.rateWindowMs);
  let forceProbe = false;
  let maxBatchBytes = config.maxBatchBytes;
  let backingOffUntil = 0;
  let tokenFailures = 0;
  let lastFacts: LaneFacts | undefined;
  const kick = (reason: string, probe = false): void => {
    if (deps.engineHold() === 'stopping' && !probe) return;
    forceProbe ||= probe;
    logger.debug('drain triggered', { account, reason });
    loop.kick();
  };
  const pauses = createPauseState(timers, logger, () => kick('pause-ended'), account);
  const holdBack = (): 'paused' | 'stopping' | undefined =>
    deps.engineHold() ?? (pauses.current === undefined ? undefined : 'paused');

  const pacing = createPacing({
    budget,
    shared: store.budgets,
    key: account,
    abandon: deps.abandon,
    logger,
    stopping: () => deps.engineHold() === 'stopping',
    changed: deps.changed,
  });
  const budgetPauses: Subscription = budget.paused$.subscribe(({ until, reason }) => {
    pacing.pausedElsewhere(reason);
    timers.at('rate-limit', until, () => kick('rate-limit-ended'));
    deps.changed();
  });

  const onSignal = (signal: Exclude<GlobalSignal, { type: 'payload-too-large' }>): void => {
    if (signal.type === 'rate-limited') {
      counters.rateLimited += 1;
      void pacing.rateLimited(signal.policy, signal.delayMs);
    } else if (signal.type === 'offline') {
      deps.offline(signal.message);
    } else {
      pauses.enter({ state: signal.type, reason: signal.message, until: now() + config.authRetryMs });
    }
    deps.changed();
  };

  /** The token source failed: pause as offline, back off (growing while it keeps failing) or as unauthorized. */
  const onTokenTrouble = ({ pause, reason }: TokenTrouble): void => {
    if (pause === 'offline') {
      deps.offline(reason);
    } else {
      const delayMs = pause === 'backing-off' ? backoff(tokenFailures++) : config.authRetryMs;
      pauses.enter({ state: pause, reason, until: now() + delayMs });
    }
    deps.changed();
  };

  const exchange = createBatchExchange({
    config,
    tokens: deps.tokens,
    counters,
    now,
    canSend: () => holdBack() === undefined,
    acquire: () => pacing.acquire(),
    untilStopping: (promise) =>
      firstValueFrom(race(from(promise), deps.abandon.pipe(map(() => undefined))), {
        defaultValue: undefined,
      }),
    signal: deps.signal,
    changed: deps.changed,
    tokenObtained: () => {
      tokenFailures = 0;
    },
    rateLimitSeen: (info) => budget.observe?.(info),
  });

  const report = createSettleAndReport({
    store,
    owner: config.owner,
    logger,
    outcomes: deps.outcomes,
    registry: deps.registry,
    counters,
    now,
    changed: deps.changed,
  });

  const batch: BatchContext = {
    options: config,
    account,
    now,
    maxBatchBytes: () => maxBatchBytes,
    shrinkMaxBatchBytes(toBytes) {
      const next = Math.max(1, Math.min(maxBatchBytes, toBytes));
      if (next < maxBatchBytes) {
        logger.info('shrinking the byte budget per request after a 413', { account, bytes: next });
      }
      maxBatchBytes = next;
    },
    acquire: () => pacing.acquire(),
    paced: held.paced,
    exchange,
    rateLimitedUntil: () => budget.pausedUntil(),
    holdBack,
    report,
    onSignal,
    onTokenTrouble,
    backoff,
    confirmations: createConfirmations({ windowMs: config.confirmWindowMs, now, counters }),
  };

  const pass = async (): Promise<void> => {
    if (deps.engineHold() === 'stopping') return;
    if (pauses.probeIfDue(now(), forceProbe)) deps.changed();
    forceProbe = false;
    if (holdBack() !== undefined) return;
    await runWorkers({ config, store, batch });
  };

  /** When this account's next entry is due (ms from now) and its backlog; nothing when the store cannot say. */
  const lookAhead = async (): Promise<{
    dueIn: number | null;
    backlog: Pick<OutboxStats, 'pending' | 'inFlight'>;
  }> => {
    try {
      const [dueIn, backlog] = await Promise.all([store.nextDueIn(account), store.stats(account)]);
      return { dueIn, backlog };
    } catch (error) {
      logger.warn('could not read the store after a pass', { account, error: describeError(error) });
      return { dueIn: null, backlog: { pending: 0, inFlight: 0 } };
    }
  };

  /** Arms the timers that wake the lane: the next due entry, the end of a rate-limit pause, the end of a backoff. */
  const armTimers = (dueIn: number | null, time: number): void => {
    if (deps.engineHold() === 'stopping') return;
    if (dueIn !== null && dueIn > 0)
      timers.at('due', time + Math.min(dueIn, MAX_DELAY_MS), () => kick('due'));
    const pausedUntil = budget.pausedUntil();
    if (pausedUntil > time) timers.at('rate-limit', pausedUntil, () => kick('rate-limit-ended'));
    if (backingOffUntil > 0) timers.at('backing-off', backingOffUntil, deps.changed);
  };

  const afterLoop = async (): Promise<void> => {
    const { dueIn, backlog } = await lookAhead();
    const time = now();
    // Nothing is due, yet events wait: their retry time (a backoff, or a wait HubSpot asked for) is what holds.
    backingOffUntil = dueIn !== null && dueIn > 0 && backlog.pending > 0 ? time + dueIn : 0;
    armTimers(dueIn, time);
    lastFacts = {
      nothingDue: dueIn === null || dueIn > 0,
      rateLimited: budget.pausedUntil() > time,
      blockedBy: pauses.blocker(),
      // The loop has ended, so every lease this lane took is settled or given back: the rest are others'.
      leasedElsewhere: backlog.inFlight,
    };
    deps.changed();
  };

  const loop = createDrainLoop({
    pass,
    afterLoop,
    onIdle: deps.loopEnded,
    onError: (error) =>
      logger.error('drain pass failed; will try again', { account, error: describeError(error) }),
  });

  return {
    account,
    counters,
    kick,
    get running() {
      return loop.running;
    },
    idle: () => loop.idle(),
    status: () =>
      deriveStatus({
        now: now(),
        stopped: false,
        pause: pauses.current,
        hostOnline: true,
        rateLimitedUntil: budget.pausedUntil(),
        rateLimitReason: pacing.reason,
        inFlight: exchange.inFlight,
        waitingForBudget: pacing.waiting,
        backingOffUntil,
      }),
    facts: () => lastFacts,
    readShared: () => pacing.readShared(),
    close() {
      timers.clear();
      budgetPauses.unsubscribe();
      held.release();
    },
  };
}
