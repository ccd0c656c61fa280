import { randomBytes } from 'node:crypto';
import {
  type Logger,
  silentLogger,
  ValidationError,
  type ValidationIssue,
  type WireDialect,
} from '@hubline/core';
import { type DeliveryStore, MAX_DELAY_MS } from '@hubline/core/store';
import type { Observable, SchedulerLike } from 'rxjs';
import type { RateBudget, Transport } from '../contracts.js';
import { monotonicScheduler } from '../time/monotonic-scheduler.js';
import { baseUrlIssues } from '../transport/assert-base-url.js';
import type { SyncEngineOptions } from './types.js';

/** The engine's options with every default filled in. */
export interface ResolvedSyncOptions {
  /** The store to drain. */
  readonly outbox: DeliveryStore;
  /** HubSpot's API root, without a trailing slash. */
  readonly baseUrl: string;
  /** The wire dialect (v3 unless given). */
  readonly dialect: WireDialect;
  /** Sends one request. */
  readonly transport: Transport;
  /** Events per request at most. */
  readonly batchSize: number;
  /** Serialised event bytes per request at most, before any 413 lowers it. */
  readonly maxBatchBytes: number;
  /** Requests in flight at once (one per worker). */
  readonly maxInFlight: number;
  /** Per-request timeout, ms. */
  readonly requestTimeoutMs: number;
  /** How long a claimed page stays leased, ms (at least twice `requestTimeoutMs`). */
  readonly leaseMs: number;
  /** Attempts before an event is given up (on evidence only when HubSpot may have it). */
  readonly maxAttempts: number;
  /** How long an event whose last attempt may still land is confirmed by read-back, ms. */
  readonly confirmWindowMs: number;
  /** Backoff ceiling before jitter for the first retry, ms. */
  readonly backoffBaseMs: number;
  /** The backoff ceiling never grows past this, ms. */
  readonly backoffMaxMs: number;
  /** The host's idea of connectivity, when given. */
  readonly online$: Observable<boolean> | undefined;
  /** Look for due work at least this often, ms. */
  readonly pollIntervalMs: number;
  /** While offline, probe the network this often, ms. */
  readonly offlineProbeMs: number;
  /** While unauthorized or forbidden, try a token again this often, ms. */
  readonly authRetryMs: number;
  /** At most one `stats$` value per this many ms. */
  readonly statsIntervalMs: number;
  /** Window of the delivery rate in `stats$`, ms. */
  readonly rateWindowMs: number;
  /** Added to the pacing window, ms. */
  readonly rateLimitMarginMs: number;
  /** How long a new record may wait for more to join its request, ms. */
  readonly batchDelayMs: number;
  /** Time source for every wait, timer and timestamp. */
  readonly scheduler: SchedulerLike;
  /** Lease owner id, unique per engine. */
  readonly owner: string;
  /** Where the engine logs (never a secret). */
  readonly logger: Logger;
  /** Random source in [0, 1) for backoff jitter. */
  readonly random: () => number;
}

/** Defaults of {@link SyncEngineOptions}, in one place. */
export const SYNC_DEFAULTS = {
  baseUrl: 'https://api.hubapi.com',
  batchSize: 100,
  maxBatchBytes: 1024 * 1024,
  maxInFlight: 1,
  requestTimeoutMs: 30_000,
  maxAttempts: 10,
  confirmWindowMs: 600_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 300_000,
  rateLimit: { requests: 100, windowMs: 10_000 },
  pollIntervalMs: 5000,
  offlineProbeMs: 5000,
  authRetryMs: 30_000,
  statsIntervalMs: 1000,
  rateWindowMs: 10_000,
  rateLimitMarginMs: 250,
  batchDelayMs: 200,
} as const;

/** Whether a `rateLimit` option is a ready-made budget rather than bucket settings. */
export function isRateBudget(value: unknown): value is RateBudget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RateBudget).acquire === 'function' &&
    typeof (value as RateBudget).pause === 'function'
  );
}

/**
 * Fill in defaults and check every numeric option, naming each bad field.
 *
 * @param options - what the caller gave
 * @param fallbacks - the default dialect and transport (kept out of this module so it stays import-light)
 */
export function resolveSyncOptions(
  options: SyncEngineOptions,
  fallbacks: { dialect: () => WireDialect; transport: () => Transport },
): ResolvedSyncOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('sync engine options', [
      { path: '', message: 'must be an object with at least outbox, and accessToken or accounts' },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const count = (field: string, value: number | undefined, fallback: number): number =>
    checked(issues, field, value ?? fallback, POSITIVE_INTEGER, value);
  const delay = (field: string, value: number | undefined, fallback: number, rule = POSITIVE_DELAY): number =>
    checked(issues, field, value ?? fallback, rule, value);
  const shaped = <T>(
    field: string,
    value: T | undefined,
    fallback: T,
    test: (v: unknown) => boolean,
    words: string,
  ) => {
    if (value !== undefined && !test(value)) issues.push({ path: field, message: `must be ${words}` });
    return value ?? fallback;
  };
  if (!isStore(options.outbox)) {
    issues.push({
      path: 'outbox',
      message: 'is required: a store (an Outbox from openOutbox, or any DeliveryStore)',
    });
  }
  if (options.accessToken === '' || (options.accessToken === undefined && options.accounts === undefined)) {
    issues.push({
      path: 'accessToken',
      message:
        'is required (a string, a function or a TokenProvider), unless accounts gives each account its own',
    });
  }
  const requestTimeoutMs = delay(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    SYNC_DEFAULTS.requestTimeoutMs,
  );
  const leaseMs = delay('leaseMs', options.leaseMs, Math.min(MAX_DELAY_MS, 5 * requestTimeoutMs));
  if (leaseMs < 2 * requestTimeoutMs) {
    issues.push({
      path: 'leaseMs',
      message: `must be at least twice requestTimeoutMs (${2 * requestTimeoutMs})`,
    });
  }
  const baseUrl = String(options.baseUrl ?? SYNC_DEFAULTS.baseUrl).replace(/\/+$/, '');
  issues.push(...baseUrlIssues(options.baseUrl ?? SYNC_DEFAULTS.baseUrl, 'baseUrl'));
  const resolved: ResolvedSyncOptions = {
    outbox: options.outbox,
    baseUrl,
    dialect: shaped('dialect', options.dialect, fallbacks.dialect(), isDialect, 'a WireDialect'),
    transport: shaped('transport', options.transport, fallbacks.transport(), isFunction, 'a function'),
    batchSize: count('batchSize', options.batchSize, SYNC_DEFAULTS.batchSize),
    maxBatchBytes: count('maxBatchBytes', options.maxBatchBytes, SYNC_DEFAULTS.maxBatchBytes),
    maxInFlight: count('maxInFlight', options.maxInFlight, SYNC_DEFAULTS.maxInFlight),
    requestTimeoutMs,
    leaseMs,
    maxAttempts: count('maxAttempts', options.maxAttempts, SYNC_DEFAULTS.maxAttempts),
    confirmWindowMs: delay(
      'confirmWindowMs',
      options.confirmWindowMs,
      SYNC_DEFAULTS.confirmWindowMs,
      NON_NEGATIVE_DELAY,
    ),
    backoffBaseMs: delay('backoff.baseMs', options.backoff?.baseMs, SYNC_DEFAULTS.backoffBaseMs),
    backoffMaxMs: delay('backoff.maxMs', options.backoff?.maxMs, SYNC_DEFAULTS.backoffMaxMs),
    online$: shaped('online$', options.online$, undefined, isSubscribable, 'an Observable<boolean>'),
    pollIntervalMs: delay('pollIntervalMs', options.pollIntervalMs, SYNC_DEFAULTS.pollIntervalMs),
    offlineProbeMs: delay('offlineProbeMs', options.offlineProbeMs, SYNC_DEFAULTS.offlineProbeMs),
    authRetryMs: delay('authRetryMs', options.authRetryMs, SYNC_DEFAULTS.authRetryMs),
    statsIntervalMs: delay('statsIntervalMs', options.statsIntervalMs, SYNC_DEFAULTS.statsIntervalMs),
    rateWindowMs: delay('rateWindowMs', options.rateWindowMs, SYNC_DEFAULTS.rateWindowMs),
    rateLimitMarginMs: delay(
      'rateLimitMarginMs',
      options.rateLimitMarginMs,
      SYNC_DEFAULTS.rateLimitMarginMs,
      NON_NEGATIVE_DELAY,
    ),
    batchDelayMs: delay('batchDelayMs', options.batchDelayMs, SYNC_DEFAULTS.batchDelayMs, NON_NEGATIVE_DELAY),
    scheduler: shaped(
      'scheduler',
      options.scheduler,
      monotonicScheduler,
      isScheduler,
      'an RxJS SchedulerLike',
    ),
    owner: shaped(
      'owner',
      options.owner,
      defaultOwner(),
      isOwner,
      'a non-empty string of at most 200 characters, without control characters',
    ),
    logger: shaped(
      'logger',
      options.logger,
      silentLogger,
      isLogger,
      'a logger with debug, info, warn and error',
    ),
    random: shaped(
      'random',
      options.random,
      Math.random,
      isFunction,
      'a function returning a number in [0, 1)',
    ),
  };
  checkRateLimit(options.rateLimit, issues);
  if (issues.length > 0) throw new ValidationError('sync engine options', issues);
  return resolved;
}

/** What a numeric option must be, and how an error says it. */
interface NumberRule {
  readonly words: string;
  accepts(value: number): boolean;
}

const POSITIVE_INTEGER: NumberRule = {
  words: 'a positive integer',
  accepts: (value) => Number.isSafeInteger(value) && value >= 1,
};
const POSITIVE_DELAY: NumberRule = {
  words: `a whole number of ms from 1 to ${MAX_DELAY_MS}`,
  accepts: (value) => Number.isSafeInteger(value) && value >= 1 && value <= MAX_DELAY_MS,
};
const NON_NEGATIVE_DELAY: NumberRule = {
  words: `a whole number of ms from 0 to ${MAX_DELAY_MS}`,
  accepts: (value) => Number.isSafeInteger(value) && value >= 0 && value <= MAX_DELAY_MS,
};

function checked(
  issues: ValidationIssue[],
  field: string,
  chosen: number,
  rule: NumberRule,
  given: number | undefined,
): number {
  if (typeof chosen !== 'number' || !rule.accepts(chosen)) {
    issues.push({ path: field, message: `must be ${rule.words}, got ${String(given)}` });
  }
  return chosen;
}

/** `rateLimit`: bucket settings, `false`, or a RateBudget. */
function checkRateLimit(rateLimit: SyncEngineOptions['rateLimit'], issues: ValidationIssue[]): void {
  if (rateLimit === undefined || rateLimit === false || isRateBudget(rateLimit)) return;
  if (typeof rateLimit !== 'object' || rateLimit === null) {
    issues.push({ path: 'rateLimit', message: 'must be { requests, windowMs }, false or a RateBudget' });
    return;
  }
  checked(issues, 'rateLimit.requests', rateLimit.requests, POSITIVE_INTEGER, rateLimit.requests);
  checked(issues, 'rateLimit.windowMs', rateLimit.windowMs, POSITIVE_DELAY, rateLimit.windowMs);
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const STORE_METHODS = ['claim', 'settle', 'release', 'nextDueIn', 'get', 'stats'] as const;
const isStore = (value: unknown): boolean =>
  isObject(value) &&
  STORE_METHODS.every((method) => typeof value[method] === 'function') &&
  isSubscribable(value.changes$);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isDialect = (value: unknown): boolean =>
  isObject(value) && typeof value.encode === 'function' && typeof value.interpret === 'function';
const isSubscribable = (value: unknown): boolean => isObject(value) && typeof value.subscribe === 'function';
const isScheduler = (value: unknown): boolean =>
  isObject(value) && typeof value.now === 'function' && typeof value.schedule === 'function';
const isLogger = (value: unknown): boolean =>
  isObject(value) && ['debug', 'info', 'warn', 'error'].every((level) => typeof value[level] === 'function');
const isOwner = (value: unknown): boolean =>
  typeof value === 'string' && value.length > 0 && value.length <= 200 && !/\p{Cc}/u.test(value);

/**
 * A lease owner id unique per engine: 72 random bits, as short as that allows. The owner is written into every
 * leased row and into two lifecycle records per event, so its length is paid on each: 19 characters here against
 * 43 for `engine-` and a UUID.
 */
function defaultOwner(): string {
  return `engine-${randomBytes(9).toString('base64url')}`;
}
