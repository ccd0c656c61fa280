/**
 * @hubline/outbox — a durable, event-sourced SQLite outbox for HubSpot timeline events.
 *
 * @packageDocumentation
 */
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_RETENTION_MS, openOutbox } from './open-outbox.js';
export { DEFAULT_CACHE_SIZE_KIB, DEFAULT_MMAP_SIZE_BYTES } from './storage/open-database.js';
export type {
  CapacityPolicy,
  ClaimedEntry,
  ClaimOptions,
  Durability,
  Eviction,
  HistoryRecord,
  IntegrityCheck,
  Outbox,
  OutboxEntry,
  OutboxLogger,
  OutboxOptions,
  OutboxStats,
  Settlement,
  SettleResult,
} from './types.js';
