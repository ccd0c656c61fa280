/**
 * @hubline/outbox — a durable, event-sourced SQLite outbox for HubSpot timeline events.
 *
 * @packageDocumentation
 */
export type {
  CapacityPolicy,
  ClaimedEntry,
  ClaimOptions,
  Durability,
  Eviction,
  HistoryRecord,
  Outbox,
  OutboxEntry,
  OutboxLogger,
  OutboxOptions,
  OutboxStats,
  Settlement,
  SettleResult,
} from './types.js';
