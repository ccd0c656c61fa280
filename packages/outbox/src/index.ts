/**
 * @hubline/outbox — a durable, event-sourced SQLite outbox for HubSpot timeline events, and the storage port it
 * implements (re-exported from `@hubline/core`). Test helpers live in `@hubline/outbox/testing`.
 *
 * @packageDocumentation
 */
export type {
  BudgetPause,
  BudgetStore,
  ChangeSignal,
  ClaimedEntry,
  ClaimOptions,
  DeliveryStore,
  Logger,
  MaybePromise,
  OutboxStats,
  Release,
  Settlement,
  SettleResult,
  StoredEntry,
} from '@hubline/core';
export { openOutbox } from './open-outbox.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CACHE_SIZE_KIB,
  DEFAULT_MMAP_SIZE_BYTES,
  DEFAULT_RETENTION_MS,
} from './options/defaults.js';
export type { CapacityPolicy, Durability, IntegrityCheck, OutboxOptions } from './options/outbox-options.js';
export type {
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  Outbox,
  OutboxBudgets,
  PruneOptions,
} from './types.js';
