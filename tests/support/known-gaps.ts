/**
 * Test support: gaps found when the checks below first covered every package (2026-12-07), all in files other
 * people were rewriting at the time. Each check lets exactly these through and nothing else, so new code meets the
 * bar; each owner deletes their lines as they fix them, until both lists are empty.
 */

/** TEMPORARY: exports and members without TSDoc, by file (tests/tsdoc-coverage.test.ts). */
export const TSDOC_DEBT: Readonly<Record<string, readonly string[]>> = {
  'packages/sync/src/contracts.ts': [
    'TokenProvider.getToken',
    'TokenProvider.invalidate',
    'RateBudget.until',
    'RateBudget.reason',
  ],
  'packages/sync/src/engine/engine-counters.ts': [
    'EngineCounters.requests',
    'EngineCounters.rateLimited',
    'EngineCounters.retries',
    'EngineCounters.delivered',
    'EngineCounters.dead',
  ],
  'packages/sync/src/engine/options.ts': [
    'ResolvedSyncOptions.outbox',
    'ResolvedSyncOptions.baseUrl',
    'ResolvedSyncOptions.dialect',
    'ResolvedSyncOptions.transport',
    'ResolvedSyncOptions.batchSize',
    'ResolvedSyncOptions.maxBatchBytes',
    'ResolvedSyncOptions.maxInFlight',
    'ResolvedSyncOptions.requestTimeoutMs',
    'ResolvedSyncOptions.leaseMs',
    'ResolvedSyncOptions.maxAttempts',
    'ResolvedSyncOptions.backoffBaseMs',
    'ResolvedSyncOptions.backoffMaxMs',
    'ResolvedSyncOptions.online$',
    'ResolvedSyncOptions.pollIntervalMs',
    'ResolvedSyncOptions.offlineProbeMs',
    'ResolvedSyncOptions.authRetryMs',
    'ResolvedSyncOptions.statsIntervalMs',
    'ResolvedSyncOptions.rateWindowMs',
    'ResolvedSyncOptions.rateLimitMarginMs',
    'ResolvedSyncOptions.batchDelayMs',
    'ResolvedSyncOptions.scheduler',
    'ResolvedSyncOptions.owner',
    'ResolvedSyncOptions.logger',
    'ResolvedSyncOptions.random',
  ],
  'packages/sync/src/engine/send-batch.ts': [
    'EnginePause.state',
    'EnginePause.reason',
    'EnginePause.until',
    'BatchContext.options',
    'BatchContext.now',
    'BatchContext.shrinkMaxBatchBytes',
    'BatchContext.answer',
    'BatchContext.interpretation',
  ],
  'packages/sync/src/engine/types.ts': [
    'SyncLogger.debug',
    'SyncLogger.info',
    'SyncLogger.warn',
    'SyncLogger.error',
    'SyncEngineOptions.requests',
    'SyncEngineOptions.windowMs',
    'SyncStatus.state',
    'SyncStatus.reason',
    'SyncStatus.until',
    'SyncOutcome.id',
    'SyncOutcome.alreadyExisted',
    'SyncOutcome.id',
    'SyncOutcome.reason',
    'SyncOutcome.status',
    'SyncOutcome.countsAsAttempt',
    'SyncOutcome.nextAttemptAt',
    'SyncOutcome.id',
    'SyncOutcome.category',
    'SyncOutcome.message',
    'SyncOutcome.status',
  ],
};

/** TEMPORARY: the warnings `pnpm docs` (typedoc) gave, each a `{@link}` it cannot resolve. */
export const API_DOCS_DEBT: readonly string[] = [
  'Failed to resolve link to "ValidationError" in comment for @hubline/outbox.Outbox.claim',
  'Failed to resolve link to "LifecycleError" in comment for @hubline/outbox.Outbox.rebuildProjection',
  'Failed to resolve link to "StorageError" in comment for @hubline/outbox.Outbox.rebuildProjection',
  'Failed to resolve link to "ValidationError" in comment for @hubline/outbox.Outbox.record',
  'Failed to resolve link to "IdConflictError" in comment for @hubline/outbox.Outbox.record',
  'Failed to resolve link to "CapacityError" in comment for @hubline/outbox.Outbox.record',
  'Failed to resolve link to "StorageError" in comment for @hubline/outbox.Outbox.record',
  'Failed to resolve link to "ValidationError" in comment for @hubline/outbox.Outbox.settle',
  'Failed to resolve link to "StorageError" in comment for @hubline/outbox.openOutbox',
  'Failed to resolve link to "ValidationError" in comment for @hubline/outbox.openOutbox',
];
