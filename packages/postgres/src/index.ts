/**
 * @hubline/postgres — the outbox on PostgreSQL, for server fleets: many sync engines on many machines drain one
 * outbox, share each budget's pauses and a wake-up signal, and an app records its events in the same
 * transaction as its own writes. Implements the storage port of `@hubline/core`, proven by the same contract
 * suite as the SQLite outbox.
 *
 * @packageDocumentation
 */
export { openPostgresOutbox } from './open-postgres-outbox.js';
export { DEFAULT_RETENTION_MS, DEFAULT_SCHEMA } from './options/defaults.js';
export type { CapacityPolicy, PostgresOutboxOptions } from './options/postgres-outbox-options.js';
export type { DrizzleExecutor } from './storage/runner.js';
export type {
  AppTransaction,
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  PostgresBudgets,
  PostgresOutbox,
  PruneOptions,
} from './types.js';
