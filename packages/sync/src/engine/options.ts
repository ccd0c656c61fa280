import { randomBytes } from 'node:crypto';
import { ValidationError, type ValidationIssue, type WireDialect } from '@hubline/core';
import type { Outbox } from '@hubline/outbox';
import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import type { RateBudget, Transport } from '../contracts.js';
import { baseUrlIssues } from '../transport/assert-base-url.js';
import type { SyncEngineOptions, SyncLogger } from './types.js';

/** The engine's options with every default filled in. */
export interface ResolvedSyncOptions {
  readonly outbox: Outbox;
  readonly baseUrl: string;
  readonly dialect: WireDialect;
  readonly transport: Transport;
  readonly batchSize: number;
  readonly maxBatchBytes: number;
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly online$: Observable<boolean> | undefined;
  readonly pollIntervalMs: number;
  readonly offlineProbeMs: number;
  readonly authRetryMs: number;
  readonly statsIntervalMs: number;
  readonly rateWindowMs: number;
  readonly rateLimitMarginMs: number;
  readonly batchDelayMs: number;
  readonly scheduler: SchedulerLike;
  readonly owner: string;
  readonly logger: SyncLogger;
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

const noop = (): void => {};

/** A logger that drops everything. */
export const silentLogger: SyncLogger = { debug: noop, info: noop, warn: noop, error: noop };

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
  const issues: ValidationIssue[] = [];
  const positiveInt = (field: string, value: number | undefined, fallback: number): number => {
    const chosen = value ?? fallback;
    if (!Number.isSafeInteger(chosen) || chosen < 1) {
      issues.push({ path: field, message: `must be a positive integer, got ${String(value)}` });
    }
    return chosen;
  };
  const nonNegativeInt = (field: string, value: number | undefined, fallback: number): number => {
    const chosen = value ?? fallback;
    if (!Number.isSafeInteger(chosen) || chosen < 0) {
      issues.push({ path: field, message: `must be a non-negative integer, got ${String(value)}` });
    }
    return chosen;
  };
  if (typeof options.outbox !== 'object' || options.outbox === null) {
    issues.push({ path: 'outbox', message: 'is required (an Outbox from openOutbox)' });
  }
  if (options.accessToken === undefined || options.accessToken === '') {
    issues.push({ path: 'accessToken', message: 'is required (a string, a function or a TokenProvider)' });
  }
  const requestTimeoutMs = positiveInt(
    'requestTimeoutMs',
    options.requestTimeoutMs,
    SYNC_DEFAULTS.requestTimeoutMs,
  );
  const leaseMs = positiveInt('leaseMs', options.leaseMs, 5 * requestTimeoutMs);
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
    dialect: options.dialect ?? fallbacks.dialect(),
    transport: options.transport ?? fallbacks.transport(),
    batchSize: positiveInt('batchSize', options.batchSize, SYNC_DEFAULTS.batchSize),
    maxBatchBytes: positiveInt('maxBatchBytes', options.maxBatchBytes, SYNC_DEFAULTS.maxBatchBytes),
    maxInFlight: positiveInt('maxInFlight', options.maxInFlight, SYNC_DEFAULTS.maxInFlight),
    requestTimeoutMs,
    leaseMs,
    maxAttempts: positiveInt('maxAttempts', options.maxAttempts, SYNC_DEFAULTS.maxAttempts),
    backoffBaseMs: positiveInt('backoff.baseMs', options.backoff?.baseMs, SYNC_DEFAULTS.backoffBaseMs),
    backoffMaxMs: positiveInt('backoff.maxMs', options.backoff?.maxMs, SYNC_DEFAULTS.backoffMaxMs),
    online$: options.online$,
    pollIntervalMs: positiveInt('pollIntervalMs', options.pollIntervalMs, SYNC_DEFAULTS.pollIntervalMs),
    offlineProbeMs: positiveInt('offlineProbeMs', options.offlineProbeMs, SYNC_DEFAULTS.offlineProbeMs),
    authRetryMs: positiveInt('authRetryMs', options.authRetryMs, SYNC_DEFAULTS.authRetryMs),
    statsIntervalMs: positiveInt('statsIntervalMs', options.statsIntervalMs, SYNC_DEFAULTS.statsIntervalMs),
    rateWindowMs: positiveInt('rateWindowMs', options.rateWindowMs, SYNC_DEFAULTS.rateWindowMs),
    rateLimitMarginMs: nonNegativeInt(
      'rateLimitMarginMs',
      options.rateLimitMarginMs,
      SYNC_DEFAULTS.rateLimitMarginMs,
    ),
    batchDelayMs: nonNegativeInt('batchDelayMs', options.batchDelayMs, SYNC_DEFAULTS.batchDelayMs),
    scheduler: options.scheduler ?? asyncScheduler,
    owner: options.owner ?? defaultOwner(),
    logger: options.logger ?? silentLogger,
    random: options.random ?? Math.random,
  };
  if (issues.length > 0) throw new ValidationError('sync engine options', issues);
  return resolved;
}

/**
 * A lease owner id unique per engine: 72 random bits, as short as that allows. The owner is written into every
 * leased row and into two lifecycle records per event, so its length is paid on each: 19 characters here against
 * 43 for `engine-` and a UUID.
 */
function defaultOwner(): string {
  return `engine-${randomBytes(9).toString('base64url')}`;
}
