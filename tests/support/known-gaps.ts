/**
 * Test support: gaps found when the checks below first covered every package (2026-12-07), all in files other
 * people were rewriting at the time. Each check lets exactly these through and nothing else, so new code meets the
 * bar; each owner deletes their lines as they fix them, until both lists are empty.
 */

/** TEMPORARY: exports and members without TSDoc, by file (tests/tsdoc-coverage.test.ts). */
export const TSDOC_DEBT: Readonly<Record<string, readonly string[]>> = {
  'packages/outbox/src/storage/claimed-entry.ts': [
    'StoredClaimedEntry.id',
    'StoredClaimedEntry.json',
    'StoredClaimedEntry.attempts',
    'StoredClaimedEntry.bytes',
    'StoredClaimedEntry.recordedAt',
    'StoredClaimedEntry.leaseUntil',
    'StoredClaimedEntry.event',
  ],
  'packages/outbox/src/storage/cold-queries.ts': [
    'LogRecord.seq',
    'LogRecord.type',
    'LogRecord.at',
    'LogRecord.data',
    'PruneCandidate.rk',
    'PruneCandidate.status',
    'PruneCandidate.updatedAt',
  ],
  'packages/outbox/src/storage/lease-book.ts': ['Lease.id', 'Lease.rk', 'Lease.owner', 'Lease.bytes'],
  'packages/outbox/src/storage/open-database.ts': [
    'OpenDatabaseOptions.path',
    'OpenDatabaseOptions.durability',
    'OpenDatabaseOptions.busyTimeoutMs',
  ],
  'packages/outbox/src/storage/projection.ts': [
    'EntryStateRow.rk',
    'EntryStateRow.id',
    'EntryStateRow.bytes',
    'EntryStateRow.status',
    'EntryStateRow.attempts',
    'EntryStateRow.recorded_at',
    'EntryStateRow.next_attempt_at',
    'EntryStateRow.lease_owner',
    'EntryStateRow.lease_until',
    'EntryStateRow.last_error',
    'EntryStateRow.updated_at',
    'EntryStateRow.version',
    'EntryRow.event',
    'CounterDelta.pending',
    'CounterDelta.leased',
    'CounterDelta.delivered',
    'CounterDelta.dead',
    'CounterDelta.evicted',
    'CounterDelta.backlogBytes',
    'CounterDelta.isZero',
  ],
  'packages/outbox/src/storage/statements.ts': [
    'Statements.insertEntry',
    'Statements.insertEvent',
    'Statements.selectById',
    'Statements.selectEventById',
    'Statements.selectOldestPending',
    'Statements.updateProjection',
    'Statements.readCounters',
    'Statements.addCounters',
    'Statements.oldestBacklog',
    'Statements.nextDue',
  ],
  'packages/outbox/src/types.ts': ['Outbox.limit', 'Outbox.afterId', 'Outbox.olderThanMs'],
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
