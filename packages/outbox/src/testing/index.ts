/**
 * @hubline/outbox/testing — for tests of code that uses a store: an in-memory store that behaves as the SQLite
 * outbox does (`createMemoryStore`), proven so by the storage port's contract suite (`@hubline/outbox/contract`).
 * Imports nothing native (no better-sqlite3) and no test runner.
 *
 * @packageDocumentation
 */

export type { MemoryStore, MemoryStoreOptions, ReleaseCall, SettleCall } from './memory-store.js';
export { createMemoryStore } from './memory-store.js';
