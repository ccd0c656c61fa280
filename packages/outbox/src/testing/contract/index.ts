/**
 * @hubline/outbox/contract — the storage port's contract suite: `describeStoreContract` holds a store (the SQLite
 * outbox, the in-memory store, the PostgreSQL store, or your own `DeliveryStore`) to the behaviour the sync engine
 * relies on. Runs under vitest (an optional peer dependency of this package, needed for this entry only).
 *
 * @packageDocumentation
 */

export { describeStoreContract } from './describe-store-contract.js';
export type { ContractStore, MakeStore, StoreContractContext, StoreContractOptions } from './harness.js';
