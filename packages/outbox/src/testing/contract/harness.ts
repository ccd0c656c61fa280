import type { TemplateChecker, TimelineEventInput } from '@hubline/core';
import type {
  AccountDue,
  BudgetStore,
  CapacityPolicy,
  DeliveryStore,
  DiscardOptions,
  HistoryRecord,
  ListDeadOptions,
  MaybePromise,
  PruneOptions,
  RequeueOptions,
  RequeueTarget,
  StoredEntry,
} from '@hubline/core/store';
import { expect } from 'vitest';

/**
 * What the contract suite needs of a store: the port, plus recording and the operator's tools, so that it can
 * set up every situation through the store's own API. Both stores of this package are one; any method may
 * answer with a promise.
 */
export interface ContractStore extends DeliveryStore {
  /** As `Outbox.record`. */
  record(input: TimelineEventInput): MaybePromise<string>;
  /** As `Outbox.recordMany`. */
  recordMany(inputs: readonly TimelineEventInput[]): MaybePromise<readonly string[]>;
  /** As `Outbox.history`. */
  history(id: string): MaybePromise<readonly HistoryRecord[]>;
  /** As `Outbox.listDead`. */
  listDead(options?: ListDeadOptions): MaybePromise<readonly StoredEntry[]>;
  /** As `Outbox.requeue`: ids, `'all-dead'` or a `{ account?, category? }` filter, with `amend` and `by`. */
  requeue(target: RequeueTarget, options?: RequeueOptions): MaybePromise<number>;
  /** As `Outbox.prune`. */
  prune(options?: PruneOptions): MaybePromise<number>;
  /**
   * As `Outbox.discard`. Optional in the type so that a store can adopt the suite before it keeps accounts; the
   * suite's accounts tests fail a store without it.
   */
  discard?(options: DiscardOptions): MaybePromise<number>;
  /** The budget pauses: the suite checks them. */
  readonly budgets: BudgetStore;
  /** Releases the store; the suite calls it after each test. */
  close(): MaybePromise<void>;
}

/** What the suite asks `makeStore` for. */
export interface StoreContractContext {
  /** The store's wall clock: the suite moves it, forward and back. */
  readonly clock: () => number;
  /** The capacity to open with, for the capacity tests. @default unlimited */
  readonly maxEntries?: number;
  /** The byte capacity to open with, for the capacity tests. @default unlimited */
  readonly maxBytes?: number;
  /** The capacity policy to open with. @default 'reject' */
  readonly capacityPolicy?: CapacityPolicy;
  /** The app's templates to open with, for the template tests. @default no checking */
  readonly templates?: TemplateChecker;
}

/** Options of `describeStoreContract`. */
export interface StoreContractOptions {
  /**
   * Another handle on the same data, as a second connection or process would open it (the SQLite outbox opens
   * its file again). Without it, the concurrency tests share one handle between the claimers.
   *
   * @param store - a store `makeStore` made
   * @param context - the context it was made with
   */
  connect?(store: ContractStore, context: StoreContractContext): MaybePromise<ContractStore>;
}

/** Opens a store for one test. */
export type MakeStore = (context: StoreContractContext) => MaybePromise<ContractStore>;

/** The clock the suite moves: a wall clock that a test steps as NTP or a person would. */
export interface TestClock {
  /** The time, epoch ms. */
  readonly now: () => number;
  /** Moves the clock by `ms` (negative: back). */
  advance(ms: number): void;
}

/** What every topic of the suite works with. */
export interface ContractHarness {
  /** The clock of every store opened in this test. */
  readonly clock: TestClock;
  /** A fresh store (closed after the test). */
  open(capacity?: Omit<StoreContractContext, 'clock'>): Promise<ContractStore>;
  /** Another handle on `store`'s data (closed after the test), or `store` itself when the suite has no `connect`. */
  connect(store: ContractStore): Promise<ContractStore>;
}

/** Where the suite's clock starts: a plain weekday noon, far from any epoch edge. */
const START = Date.UTC(2026, 10, 29, 12);

/** Creates a {@link TestClock}. */
export function testClock(): TestClock {
  let time = START;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

/**
 * A valid event input, distinct per `n`.
 *
 * @param n - which one
 * @param extra - fields to override
 */
export function input(n: number, extra: Partial<TimelineEventInput> = {}): TimelineEventInput {
  return {
    eventTemplateId: '1001234',
    email: `visitor-${n}@example.com`,
    tokens: { page: `/pricing/${n}`, seconds: n },
    ...extra,
  };
}

/**
 * What `run` throws or rejects with; fails the test when it does neither.
 *
 * @param run - the call
 */
export async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw or reject');
}

/**
 * Text as a store may hand it back: what a database cannot keep as it is (a NUL, a lone surrogate) shown as U+FFFD
 * — once, however many replacement characters the store's encoding made of it. Compare a store's answer and the
 * text it was given through this.
 *
 * @param text - the text
 */
export function asKept(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replaceAll('\u0000', '\uFFFD')
    .replace(/\uFFFD+/g, '\uFFFD');
}

/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What a hostile server may put in a message: a NUL, a lone surrogate, control characters and a quote. */
export const HOSTILE_TEXT = "bad\u0000byte \uD800 ESC\u001b[31m new\nline 'quoted' \\ end";

/**
 * The types of an entry's lifecycle events, in order.
 *
 * @param store - the store
 * @param id - the entry's id
 */
export async function typesOf(store: ContractStore, id: string): Promise<string[]> {
  return (await store.history(id)).map((record) => record.event.type);
}

/**
 * The store's `accountsDue`, `discard` and budget slots, failing the test when it lacks one: the port leaves them
 * optional (a single-account store may), the contract does not.
 *
 * @param store - the store
 */
export function withAccounts(store: ContractStore): ContractStore & {
  accountsDue(): MaybePromise<readonly AccountDue[]>;
  discard(options: DiscardOptions): MaybePromise<number>;
  readonly budgets: Required<BudgetStore>;
} {
  expect(typeof store.accountsDue, 'accountsDue').toBe('function');
  expect(typeof store.discard, 'discard').toBe('function');
  for (const method of ['take', 'use', 'giveBack'] as const) {
    expect(typeof store.budgets[method], `budgets.${method}`).toBe('function');
  }
  return store as ReturnType<typeof withAccounts>;
}
