import type { Logger, WireDialect } from '@hubline/core';
import type { DeliveryStore, OutboxStats } from '@hubline/core/store';
import type { Observable, SchedulerLike } from 'rxjs';
import type { AccountTokenSources } from '../auth/account-tokens.js';
import type { AccessTokenSource, RateBudget, Transport } from '../contracts.js';

/** Capped exponential backoff with full jitter for answers that count as attempts. */
export interface SyncBackoffOptions {
  /** Delay ceiling before jitter for the first retry, in ms. @default 1000 */
  baseMs?: number;
  /** The ceiling never grows past this, in ms. @default 300000 (5 minutes) */
  maxMs?: number;
}

/** Options of {@link createSyncEngine}. Only `outbox`, and `accessToken` or `accounts`, are required. */
export interface SyncEngineOptions {
  /**
   * The store to drain: the SQLite outbox (`openOutbox`), the PostgreSQL store, the in-memory store of
   * `@hubline/outbox/testing`, or any implementation of core's `DeliveryStore` port. The engine never closes it.
   */
  outbox: DeliveryStore;
  /** A token string, a function returning one (sync or async), or a `TokenProvider` such as `oauthRefreshToken(...)`. */
  accessToken?: AccessTokenSource;
  /**
   * Each HubSpot account's own token source, for an integrator app installed in many accounts: a map from account
   * id to source, or a function of the account (e.g. `oauthInstalls(…)`). Events name their account when recorded
   * (`record({ account, … })`); an account with no source pauses as `unauthorized`, alone. Give this or
   * `accessToken` (which serves every account), not both.
   * @example
   * ```ts
   * const sync = createSyncEngine({ outbox, accounts: oauthInstalls({ clientId, clientSecret, store: installs }) });
   * ```
   */
  accounts?: AccountTokenSources;
  /** HubSpot's API root (or the emulator's URL). @default 'https://api.hubapi.com' */
  baseUrl?: string;
  /** The wire dialect. @default core's v3 dialect */
  dialect?: WireDialect;
  /** Sends one request. @default `createNodeHttpTransport()` (keep-alive node:http/https); `createKyTransport()` sends through fetch */
  transport?: Transport;
  /** Events per request at most. @default 100 (HubSpot's batch cap) */
  batchSize?: number;
  /** Serialised event bytes per request at most; lowered after a 413. @default 1048576 */
  maxBatchBytes?: number;
  /** Requests in flight at once. @default 1 */
  maxInFlight?: number;
  /** Per-request timeout in ms. @default 30000 */
  requestTimeoutMs?: number;
  /** How long a claimed batch stays leased; must cover waits and bisection. @default 5 × requestTimeoutMs */
  leaseMs?: number;
  /**
   * Attempts (5xx, timeouts, resets) before an event is given up with `MAX_ATTEMPTS`. An event HubSpot may have
   * is given up only on evidence: with a read-back (v3), when HubSpot says it does not have it after
   * `confirmWindowMs`; without one (2026-03) it is sent again until HubSpot says "already exists" or refuses it.
   * @default 10
   */
  maxAttempts?: number;
  /**
   * How long, after the last attempt, an event is still confirmed when a request of it may yet land: one that got
   * no answer (timeout, reset), a 504, a batch HubSpot accepted as `PENDING`/`PROCESSING`, or any earlier doubtful
   * request. Meanwhile it is read back with backoff (`stats$` counts it as `confirming`, its entry is `pending`):
   * found, it is delivered; still absent when the window is over, it is dead-lettered `MAX_ATTEMPTS`. An event
   * whose requests all ended with an answer is given up at the first read-back that does not find it.
   * @default 600000 (10 minutes)
   */
  confirmWindowMs?: number;
  /** @default `{ baseMs: 1000, maxMs: 300000 }` */
  backoff?: SyncBackoffOptions;
  /**
   * Request pacing: a token bucket, `false` for none, or a `RateBudget` to share explicitly.
   * @default 100 requests per 10 s, shared by every engine in the process with the same base URL and token
   */
  rateLimit?:
    | {
        /** Requests per window. */
        requests: number;
        /** The window, in ms. */
        windowMs: number;
      }
    | false
    | RateBudget;
  /**
   * Added to the pacing window (not to an explicit `RateBudget`): a request granted at the very edge of the window
   * can reach HubSpot sooner after the first than it left, because latencies differ, and would then count inside the
   * window there. A quarter second costs about 2.5% of a 10-second window and removes those 429s.
   * @default 250
   */
  rateLimitMarginMs?: number;
  /**
   * How long a new record may wait for more to join its request. Recording triggers a send; without a delay an
   * app recording 20 events/s would spend HubSpot's whole budget (100 requests per 10 s) on 1-event requests.
   * With 200 ms, recording alone causes at most 5 requests per second (half the default budget) and delivery is
   * at most 200 ms later. A full batch recorded meanwhile is sent at once; `flush()`, the poll, `online$` and the
   * end of a pause never wait. 0 sends on every record.
   * @default 200
   */
  batchDelayMs?: number;
  /** The host's idea of connectivity; while it says `false` nothing is sent. @default always online */
  online$?: Observable<boolean>;
  /** Look for due work at least this often, in ms. @default 5000 */
  pollIntervalMs?: number;
  /** While offline with no `online$` news, probe the network this often, in ms. @default 5000 */
  offlineProbeMs?: number;
  /** While paused in `unauthorized` or `forbidden`, try a token again this often, in ms. @default 30000 */
  authRetryMs?: number;
  /** At most one `stats$` value per this many ms. @default 1000 */
  statsIntervalMs?: number;
  /** Window of the delivery rate in `stats$`, in ms. @default 10000 */
  rateWindowMs?: number;
  /**
   * Time source for every wait, timer and timestamp. The default reads a monotonic clock, so a wall-clock step
   * never lengthens a pause or a backoff; a `TestScheduler` or `VirtualTimeScheduler` gives tests virtual time.
   * @default monotonicScheduler (RxJS's asyncScheduler with a monotonic now())
   */
  scheduler?: SchedulerLike;
  /** Lease owner id; unique per engine. @default `engine-` and 12 random base64url characters (72 bits) */
  owner?: string;
  /** @default a no-op logger */
  logger?: Logger;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
}

/** Where the engine stands. */
export type SyncState =
  /** Nothing is due: every event is delivered, dead-lettered, or held by another engine. */
  | 'idle'
  /** A request is on the wire. */
  | 'sending'
  /** Events are due and the engine waits for a slot of the rate budget (keeping HubSpot's limit, not breaking it). */
  | 'pacing'
  /** Events wait for their retry time (a backoff, or a wait HubSpot asked for); `until` is the next one due. */
  | 'backing-off'
  /** No network (the transport could not connect, or `online$` says so); the engine probes. */
  | 'offline'
  /** HubSpot answered 429: every engine sharing the budget waits until `until`. */
  | 'rate-limited'
  /** HubSpot refused the token and no fresh one worked. */
  | 'unauthorized'
  /** The token lacks a scope HubSpot requires. */
  | 'forbidden'
  /** `stop()` finished. */
  | 'stopped';

/** A `status$` value: the state, why, and until when (scheduler epoch ms) when known. */
export interface SyncStatus {
  /** Where the engine stands. */
  readonly state: SyncState;
  /** Why, in words (HubSpot's, or the engine's), when there is more to say than the state. */
  readonly reason?: string;
  /** Until when the state is expected to last, scheduler epoch ms (a pause's or a backoff's end). */
  readonly until?: number;
}

/** A `stats$` value: the outbox's counts plus what this engine did since it was created. */
export interface SyncStats extends OutboxStats {
  /** HTTP requests sent (including bisection and auth retries). */
  readonly requests: number;
  /** 429 answers received. */
  readonly rateLimited: number;
  /** Events settled to be retried later. */
  readonly retries: number;
  /** Events this engine delivered. */
  readonly deliveredByEngine: number;
  /** Events this engine dead-lettered. */
  readonly deadByEngine: number;
  /** Events delivered per second over the last `rateWindowMs`. */
  readonly deliveryRate: number;
  /**
   * Events this engine is confirming: their attempts are used up while HubSpot may have them, and they are read
   * back (with backoff, within the rate budget) until HubSpot has them or, once no request of theirs can still
   * land (`confirmWindowMs`), does not. They also count as `pending`; none is delivered or dead yet. Always
   * set by the engine (optional only so that stats values built by hand elsewhere stay valid).
   */
  readonly confirming: number;
}

/** What happened to one event, as `outcomes$` reports it. */
export type SyncOutcome =
  /** HubSpot has the event. */
  | {
      readonly type: 'delivered';
      /** The event's id. */
      readonly id: string;
      /** HubSpot said it already had the id (an earlier attempt, or a read-back, found it) rather than creating it now. */
      readonly alreadyExisted: boolean;
    }
  /** The event goes again later (or, its attempts used up while HubSpot may have it, is read back again). */
  | {
      readonly type: 'retrying';
      /** The event's id. */
      readonly id: string;
      /** Why: HubSpot's status and words, the transport's failure, or the engine's. */
      readonly reason: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
      /** Whether this used one of the event's attempts. */
      readonly countsAsAttempt: boolean;
      /** Attempts used, including this one when it counts. */
      readonly attempts: number;
      /** When it is due again, scheduler epoch ms. */
      readonly nextAttemptAt: number;
    }
  /** The event is a dead letter: HubSpot refused it, or it was given up on evidence (`MAX_ATTEMPTS`). */
  | {
      readonly type: 'dead';
      /** The event's id. */
      readonly id: string;
      /** HubSpot's error category (e.g. `VALIDATION_ERROR`), or Hubline's (`MAX_ATTEMPTS`, `PAYLOAD_TOO_LARGE`). */
      readonly category: string;
      /** HubSpot's message, or the engine's. */
      readonly message: string;
      /** HubSpot's HTTP status, when it answered. */
      readonly status?: number;
    };

/** Why a flush ended with due events still unsent. */
export type FlushBlocker = 'offline' | 'unauthorized' | 'forbidden' | 'backing-off';

/** What happened during one `flush()`. */
export interface FlushReport {
  /** Events delivered while the flush ran. */
  readonly delivered: number;
  /** Events dead-lettered while the flush ran. */
  readonly dead: number;
  /** Events settled for a later retry while the flush ran (not due any more when it resolved). */
  readonly retrying: number;
  /** Set when due events remain because the engine is paused for this reason. */
  readonly blockedBy?: FlushBlocker;
  /**
   * Set when events are still leased by another engine (or a process that died holding them) when the flush
   * ends: they are not this engine's to send until that lease ends. A lease of a process gone from this host is
   * taken over at once; any other runs out after `leaseMs`.
   */
  readonly leasedElsewhere?: number;
}

/** Options of {@link SyncEngine.stop}. */
export interface StopOptions {
  /** Send everything due before stopping (while offline or paused, stop at once with the events kept). @default false */
  drain?: boolean;
  /**
   * Stop within this many ms (scheduler time): when it elapses, the drain is abandoned and requests still in flight
   * are aborted, their events released for a later attempt without using one (HubSpot may have stored them
   * already, which is harmless: ids are fixed). `0` aborts at once.
   * @default no deadline: a drain runs to its end, and requests in flight finish within `requestTimeoutMs`
   */
  timeoutMs?: number;
}

/** What {@link SyncEngine.stop} did. */
export interface StopReport {
  /** Whether `timeoutMs` elapsed, so the drain (if any) was cut short and requests in flight were aborted. */
  readonly timedOut: boolean;
}

/**
 * The delivery engine. Streams are read-only; `stop()` completes them. Disposable: `await using sync =
 * createSyncEngine(…)` stops it (without draining) at the end of the scope.
 */
export interface SyncEngine extends AsyncDisposable {
  /** Start draining. Calling it twice does nothing. */
  start(): void;
  /**
   * Stop. No new request starts (with `drain`, not before everything due is sent); requests in flight are waited
   * for and settled by their answers, unless `timeoutMs` elapses first. Then every lease still held is released,
   * waiters are rejected with `ENGINE_STOPPED` and the streams complete. Calling it again returns the same promise;
   * a `timeoutMs` given then can only bring the deadline closer.
   */
  stop(options?: StopOptions): Promise<StopReport>;
  /** Resolves when nothing due is left (or the engine is paused offline/unauthorized/forbidden). */
  flush(): Promise<FlushReport>;
  /** Resolves when the event is delivered; rejects with `DEAD_LETTERED`, `NOT_FOUND` or `ENGINE_STOPPED`. */
  whenDelivered(id: string): Promise<void>;
  /**
   * One account's counts: the store's for that account, and what this engine did for it.
   *
   * @param account - the HubSpot account
   */
  statsOf(account: string): Promise<SyncStats>;
  /**
   * The engine's state; replays the current value to new subscribers. With several accounts, the busiest state any
   * of them is in (sending, then pacing, then backing off, then the pauses); each account's is on `statuses$`.
   */
  readonly status$: Observable<SyncStatus>;
  /** Every account's state, by account id, whenever one changes; replays the current value. */
  readonly statuses$: Observable<Readonly<Record<string, SyncStatus>>>;
  /**
   * One account's state (idle until the engine has seen work of it), whenever it changes.
   *
   * @param account - the HubSpot account
   */
  statusOf$(account: string): Observable<SyncStatus>;
  /** Counts, at most once per `statsIntervalMs`; replays the latest value. */
  readonly stats$: Observable<SyncStats>;
  /** Every settled event, as it happens. */
  readonly outcomes$: Observable<SyncOutcome>;
}
