/**
 * @hubline/outbox/testing — for tests of code that uses a store: an in-memory store that behaves as the SQLite
 * outbox does (`createMemoryStore`), and the storage port's contract suite (`describeStoreContract`) that
 * proves it, and any other store, to behave so. Needs vitest (an optional peer dependency) for the suite only.
 * Imports nothing native: no better-sqlite3.
 *
 * @packageDocumentation
 */

export { describeStoreContract } from './contract/describe-store-contract.js';
export type {
  ContractStore,
  MakeStore,
  StoreContractContext,
  StoreContractOptions,
} from './contract/harness.js';
export type { MemoryStore, MemoryStoreOptions, ReleaseCall, SettleCall } from './memory-store.js';
export { createMemoryStore } from './memory-store.js';
