import { afterEach, beforeEach, describe } from 'vitest';
import { accountsContract } from './accounts-contract.js';
import { budgetContract } from './budget-contract.js';
import { capacityContract } from './capacity-contract.js';
import { claimContract } from './claim-contract.js';
import { clockStepContract } from './clock-step-contract.js';
import { concurrencyContract } from './concurrency-contract.js';
import { deadLetterContract } from './dead-letter-contract.js';
import {
  type ContractHarness,
  type ContractStore,
  type MakeStore,
  type StoreContractContext,
  type StoreContractOptions,
  type TestClock,
  testClock,
} from './harness.js';
import { recordContract } from './record-contract.js';
import { releaseContract } from './release-contract.js';
import { repairContract } from './repair-contract.js';
import { settleContract } from './settle-contract.js';
import { slotsContract } from './slots-contract.js';
import { templatesContract } from './templates-contract.js';
import { timingContract } from './timing-contract.js';

/**
 * The storage port's contract as one vitest suite: every store must pass it, so that the engine, tested on one
 * store, behaves the same on any. Covers recording (idempotency, conflicts, all-or-nothing batches), claim order
 * and leases, settling with lost leases, releases, lifecycle histories, dead letters and requeues, the size cap,
 * concurrent claimers, `nextDueIn`, budget pauses and slots, accounts (claims per account, per-account due times
 * and counts), dead-letter repair (amend, bulk requeue, ageing out, discarding an account) and steps of the wall
 * clock. Call it at the top level of a
 * test file; it opens a store per test through `makeStore` and closes it afterwards.
 *
 * @param name - the store's name, for the suite's title
 * @param makeStore - opens a fresh, empty store on the clock, capacity and templates it is given
 * @param options - `connect`, another handle on a store's data, for the tests of several claimers
 * @example
 * ```ts
 * import { describeStoreContract } from '@hubline/outbox/contract';
 *
 * describeStoreContract('my store', ({ clock, ...capacity }) => openMyStore({ clock, ...capacity }));
 * ```
 */
export function describeStoreContract(
  name: string,
  makeStore: MakeStore,
  options: StoreContractOptions = {},
): void {
  describe(`the storage contract: ${name}`, () => {
    let opened: ContractStore[] = [];
    let clock: TestClock = testClock();
    const contexts = new WeakMap<ContractStore, StoreContractContext>();
    beforeEach(() => {
      clock = testClock();
      opened = [];
    });
    afterEach(async () => {
      // Newest first: a second handle closes before the store it was opened on.
      for (const store of opened.reverse()) await store.close();
    });
    const harness: ContractHarness = {
      get clock() {
        return clock;
      },
      async open(capacity = {}) {
        const context = { ...capacity, clock: () => clock.now() };
        const store = await makeStore(context);
        contexts.set(store, context);
        opened.push(store);
        return store;
      },
      async connect(store) {
        if (options.connect === undefined) return store;
        const other = await options.connect(store, contexts.get(store) ?? { clock: () => clock.now() });
        opened.push(other);
        return other;
      },
    };
    describe('recording', () => recordContract(harness));
    describe('templates', () => templatesContract(harness));
    describe('claiming', () => claimContract(harness));
    describe('settling', () => settleContract(harness));
    describe('releasing', () => releaseContract(harness));
    describe('dead letters', () => deadLetterContract(harness));
    describe('capacity', () => capacityContract(harness));
    describe('several claimers', () => concurrencyContract(harness));
    describe('timing', () => timingContract(harness));
    describe('budgets', () => budgetContract(harness));
    describe('budget slots', () => slotsContract(harness));
    describe('accounts', () => accountsContract(harness));
    describe('dead-letter repair', () => repairContract(harness));
    describe('clock steps', () => clockStepContract(harness));
  });
}
