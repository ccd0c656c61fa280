/**
 * @hubline/outbox — a durable, event-sourced SQLite outbox for HubSpot timeline events, with the types of the
 * storage port it implements and of its own API (re-exported from `@hubline/core/store`). Test helpers live in
 * `@hubline/outbox/testing`, the storage port's contract suite in `@hubline/outbox/contract`.
 *
 * @packageDocumentation
 */
export type { Logger } from '@hubline/core';
export {
  type BudgetPause,
  type BudgetStore,
  type CapacityPolicy,
  type ChangeSignal,
  type ClaimedEntry,
  type ClaimOptions,
  type DeliveryEvidence,
  type DeliveryStore,
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
  type Settlement,
  type SettleResult,
  type StoredEntry,
} from '@hubline/core/store';
export { openOutbox } from './open-outbox.js';
export { OUTBOX_DEFAULTS } from './options/defaults.js';
export type { Durability, IntegrityCheck, OutboxOptions } from './options/outbox-options.js';
export type { Outbox, OutboxBudgets } from './types.js';
