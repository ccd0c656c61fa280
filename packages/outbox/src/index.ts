/**
 * @hubline/outbox — a durable, event-sourced SQLite outbox for HubSpot timeline events.
 *
 * @packageDocumentation
 */

export { openOutbox } from './open-outbox.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CACHE_SIZE_KIB,
  DEFAULT_MMAP_SIZE_BYTES,
  DEFAULT_RETENTION_MS,
} from './options/defaults.js';
export type { CapacityPolicy, Durability, IntegrityCheck, OutboxOptions } from './options/outbox-options.js';
export type {
  ClaimedEntry,
  ClaimOptions,
  Eviction,
  HistoryRecord,
  Outbox,
  OutboxEntry,
  OutboxLogger,
  OutboxStats,
  Settlement,
  SettleResult,
} from './types.js';
