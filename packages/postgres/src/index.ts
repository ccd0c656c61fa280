/**
 * @hubline/postgres — the outbox on PostgreSQL, for server fleets: many sync engines on many machines drain one
 * outbox, share each budget's pauses and a wake-up signal, and an app records its events in the same
 * transaction as its own writes. Implements the storage port of `@hubline/core/store` (whose types its API names
 * are re-exported here), proven by the same contract suite as the SQLite outbox.
 *
 * @packageDocumentation
 */

export type { Logger, TemplateChecker, TimelineEventPatch } from '@hubline/core';
export {
  type AccountDue,
  type BudgetPause,
  type BudgetStore,
  type BudgetTake,
  type BudgetWindow,
  type CapacityPolicy,
  type ChangeSignal,
  type ClaimedEntry,
  type ClaimOptions,
  type DeliveryEvidence,
  type DeliveryStore,
  type DiscardOptions,
  type EntryState,
  type EntryStatus,
  type Eviction,
  type HistoryRecord,
  type LifecycleEvent,
  type ListDeadOptions,
  type MaybePromise,
  type OutboxStats,
  PRUNE_DEFAULTS,
  type PruneOptions,
  type Release,
  type ReleaseReason,
  type RequeueOptions,
  type RequeueTarget,
  type Settlement,
  type SettleResult,
  type StoredEntry,
} from '@hubline/core/store';
export { openPostgresOutbox } from './open-postgres-outbox.js';
export { POSTGRES_OUTBOX_DEFAULTS } from './options/defaults.js';
export type { PostgresOutboxOptions } from './options/postgres-outbox-options.js';
export type { DrizzleExecutor } from './storage/runner.js';
export type { AppTransaction, PostgresBudgets, PostgresOutbox } from './types.js';
