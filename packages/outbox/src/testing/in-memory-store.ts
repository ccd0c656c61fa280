import { createIdFactory, StorageError, type TimelineEventInput } from '@hubline/core';
import {
  type AccountDue,
  assertAccount,
  assertClaimOptions,
  assertDiscardOptions,
  assertId,
  assertInputArray,
  assertListDeadOptions,
  assertPruneOptions,
  assertReleases,
  assertRequeue,
  assertSettlements,
  type ClaimedEntry,
  type ClaimOptions,
  DEFAULT_ACCOUNT,
  type DiscardOptions,
  decideClaim,
  decideClockStep,
  decideRecord,
  type EntryState,
  type Eviction,
  fold,
  type HistoryRecord,
  type LifecycleEvent,
  type ListDeadOptions,
  type OutboxStats,
  PRUNE_DEFAULTS,
  type PruneOptions,
  prepareEvent,
  type Release,
  type RequeueOptions,
  type RequeueTarget,
  releaseEvents,
  type Settlement,
  type SettleResult,
  type StoredEntry,
  settlementEvents,
} from '@hubline/core/store';
import { type Observable, Subject } from 'rxjs';
import { MemoryBudgets } from './memory-budgets.js';
import { freshEvents, makeRoom } from './memory-capacity.js';
import { MemoryClock } from './memory-clock.js';
import { accountsDueOf, dueIn, statsOf } from './memory-counts.js';
import {
  append,
  deadCategory,
  dueAt,
  isDue,
  type MemoryEntry,
  seedInput,
  toClaimed,
  toStored,
} from './memory-entry.js';
import { discardAccount, pruneEntries, requeueDeadLetters } from './memory-maintenance.js';
import type { MemoryStore, ReleaseCall, SettleCall } from './memory-store.js';
import type { ResolvedMemoryOptions } from './memory-store-options.js';

const NOTHING_SETTLED: SettleResult = Object.freeze({ applied: [], lost: [], deadLettered: [] });

/**
 * The memory store (see `MemoryStore`): entries in a map, each with its lifecycle log, every change decided by
 * core's `decide*` and folded by `evolve`, and the same argument checks and outcome mapping as the SQLite outbox.
 */
export class InMemoryStore implements MemoryStore {
  readonly #options: ResolvedMemoryOptions;
  readonly #clock: MemoryClock;
  readonly #newId: () => string;
  /** Every entry by id, in record order (a Map keeps insertion order). */
  readonly #entries = new Map<string, MemoryEntry>();
  readonly #changes = new Subject<number>();
  readonly #evicted = new Subject<Eviction>();
  #nextRk = 1;
  #seeded = 0;
  #closed = false;

  /** See {@link MemoryStore.settleCalls}. */
  readonly settleCalls: SettleCall[] = [];
  /** See {@link MemoryStore.releaseCalls}. */
  readonly releaseCalls: ReleaseCall[] = [];
  /** See {@link MemoryStore.changes$}. */
  readonly changes$: Observable<number> = this.#changes.asObservable();
  /** See {@link MemoryStore.evicted$}. */
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();
  /** See {@link MemoryStore.budgets}. */
  readonly budgets: MemoryBudgets;

  /** @param options - the checked options */
  constructor(options: ResolvedMemoryOptions) {
    this.#options = options;
    this.#clock = new MemoryClock(options.clock, (now, stepMs) => this.#stepBack(now, stepMs));
    this.#newId = createIdFactory({ clock: () => this.#now() });
    this.budgets = new MemoryBudgets(
      () => this.#now(),
      () => this.#assertOpen(),
    );
  }

  /** See {@link MemoryStore.record}. */
  record(input: TimelineEventInput): string {
    return this.recordMany([input])[0]!;
  }

  /** See {@link MemoryStore.recordMany}. */
  recordMany(inputs: readonly TimelineEventInput[]): string[] {
    this.#assertOpen();
    assertInputArray(inputs);
    if (inputs.length === 0) return [];
    const now = this.#now();
    const { maxEventBytes, templates } = this.#options;
    const settings = { now, newId: this.#newId, maxEventBytes, templates };
    const prepared = inputs.map((input, index) =>
      prepareEvent(input, settings, inputs.length > 1 ? index : undefined),
    );
    const fresh = freshEvents(this.#entries, prepared);
    const evictions = makeRoom(this.#entries.values(), fresh, now, this.#options);
    for (const entry of fresh) {
      const log = decideRecord(undefined, now, entry.bytes);
      this.#entries.set(entry.event.id, {
        id: entry.event.id,
        rk: this.#nextRk++,
        account: entry.account,
        event: entry.event,
        json: entry.json,
        bytes: entry.bytes,
        state: fold(log),
        log,
      });
    }
    for (const eviction of evictions) this.#evicted.next(eviction);
    if (fresh.length > 0) this.#changes.next(fresh.length);
    return prepared.map((entry) => entry.event.id);
  }

  /** See {@link MemoryStore.seed}. */
  seed(count: number, bytes?: number): string[] {
    const inputs = Array.from({ length: count }, () => {
      const id = `e${String(this.#seeded++).padStart(3, '0')}`;
      return seedInput(id, bytes, this.#now(), this.#options.maxEventBytes);
    });
    return this.recordMany(inputs);
  }

  /** See {@link MemoryStore.claim}. */
  claim(options: ClaimOptions): ClaimedEntry[] {
    this.#assertOpen();
    assertClaimOptions(options);
    const { limit, leaseMs, owner } = options;
    const account = options.account ?? DEFAULT_ACCOUNT;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const at = this.#now();
    const due = [...this.#entries.values()]
      .filter((entry) => entry.account === account && isDue(entry.state, at))
      .sort((a, b) => dueAt(a.state) - dueAt(b.state) || a.rk - b.rk);
    const claimed: ClaimedEntry[] = [];
    let bytes = 0;
    for (const entry of due) {
      if (claimed.length >= limit || (claimed.length > 0 && bytes + entry.bytes > maxBytes)) break;
      bytes += entry.bytes;
      const events = decideClaim(entry.state, { at, owner, leaseMs });
      if (events.length > 1)
        this.#options.logger.debug('lease expired', { id: entry.id, owner: entry.state.leaseOwner });
      append(entry, events);
      claimed.push(toClaimed(entry));
    }
    return claimed;
  }

  /** See {@link MemoryStore.settle}. */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult {
    this.#assertOpen();
    assertSettlements(owner, settlements);
    this.settleCalls.push({ owner, settlements });
    if (settlements.length === 0) return NOTHING_SETTLED;
    return this.#apply(owner, settlements, settlementEvents);
  }

  /** See {@link MemoryStore.release}. */
  release(owner: string, releases: readonly Release[]): SettleResult {
    this.#assertOpen();
    assertReleases(owner, releases);
    this.releaseCalls.push({ owner, releases });
    if (releases.length === 0) return NOTHING_SETTLED;
    const result = this.#apply(owner, releases, releaseEvents);
    const applied = new Set(result.applied);
    const dueNow = releases.filter((release) => applied.has(release.id) && !(release.delayMs! > 0)).length;
    if (dueNow > 0) this.#changes.next(dueNow);
    return result;
  }

  /** See {@link MemoryStore.nextDueIn}. */
  nextDueIn(account?: string): number | null {
    this.#assertOpen();
    assertAccount(account, 'nextDueIn');
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries.values()) {
      if (account === undefined || entry.account === account) next = Math.min(next, dueAt(entry.state));
    }
    return next === Number.POSITIVE_INFINITY ? null : dueIn(next, now);
  }

  /** See {@link MemoryStore.accountsDue}. */
  accountsDue(): AccountDue[] {
    this.#assertOpen();
    return accountsDueOf(this.#entries.values(), this.#now());
  }

  /** See {@link MemoryStore.get}. */
  get(id: string): StoredEntry | undefined {
    this.#assertOpen();
    assertId(id, 'get');
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : toStored(entry);
  }

  /** See {@link MemoryStore.history}. */
  history(id: string): HistoryRecord[] {
    this.#assertOpen();
    assertId(id, 'history');
    return (this.#entries.get(id)?.log ?? []).map((event, index) => ({ seq: index + 1, event }));
  }

  /** See {@link MemoryStore.listDead}. */
  listDead(options: ListDeadOptions = {}): StoredEntry[] {
    this.#assertOpen();
    assertListDeadOptions(options);
    const { account, category } = options;
    const after = options.afterId === undefined ? 0 : (this.#entries.get(options.afterId)?.rk ?? 0);
    return [...this.#entries.values()]
      .filter(
        (entry) =>
          entry.state.status === 'dead' &&
          entry.rk > after &&
          (account === undefined || entry.account === account) &&
          (category === undefined || deadCategory(entry) === category),
      )
      .slice(0, options.limit ?? 100)
      .map(toStored);
  }

  /** See {@link MemoryStore.requeue}. */
  requeue(target: RequeueTarget, options: RequeueOptions = {}): number {
    this.#assertOpen();
    assertRequeue(target, options);
    const { maxEventBytes, templates } = this.#options;
    const count = requeueDeadLetters(this.#entries, target, options, this.#now(), {
      maxEventBytes,
      templates,
    });
    if (count > 0) this.#changes.next(count);
    return count;
  }

  /** See {@link MemoryStore.discard}. */
  discard(options: DiscardOptions): number {
    this.#assertOpen();
    assertDiscardOptions(options);
    const reason = options.reason ?? 'account discarded';
    return discardAccount(this.#entries.values(), options.account, reason, this.#now());
  }

  /** See {@link MemoryStore.prune}. */
  prune(options: PruneOptions = {}): number {
    this.#assertOpen();
    assertPruneOptions(options);
    const olderThanMs = options.olderThanMs ?? PRUNE_DEFAULTS.olderThanMs;
    return pruneEntries(this.#entries, this.#now(), olderThanMs, options.deadOlderThanMs);
  }

  /** See {@link MemoryStore.stats}. */
  stats(account?: string): OutboxStats {
    this.#assertOpen();
    assertAccount(account, 'stats');
    return statsOf(this.#entries.values(), this.#now(), account);
  }

  /** See {@link MemoryStore.rebuildProjection}. */
  rebuildProjection(): void {
    this.#assertOpen();
    const rebuilt = [...this.#entries.values()].map((entry) => [entry, fold(entry.log)] as const);
    for (const [entry, state] of rebuilt) entry.state = state;
  }

  /** See {@link MemoryStore.close}. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#changes.complete();
    this.#evicted.complete();
  }

  /** `close()`, for `using store = createMemoryStore(…)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #apply<T extends { readonly id: string }>(
    owner: string,
    outcomes: readonly T[],
    decide: (state: EntryState, owner: string, outcome: T, at: number) => LifecycleEvent[] | undefined,
  ): SettleResult {
    const at = this.#now();
    const applied: string[] = [];
    const lost: string[] = [];
    const deadLettered: string[] = [];
    for (const outcome of outcomes) {
      const entry = this.#entries.get(outcome.id);
      const events = entry === undefined ? undefined : decide(entry.state, owner, outcome, at);
      if (entry === undefined || events === undefined) {
        lost.push(outcome.id);
        continue;
      }
      append(entry, events);
      applied.push(outcome.id);
      if (entry.state.status === 'dead') deadLettered.push(outcome.id);
    }
    if (lost.length > 0)
      this.#options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
    return { applied, lost, deadLettered };
  }

  /** Moves every wait that ends after `now` back by `stepMs`: entries through `ClockSteppedBack`, budget pauses. */
  #stepBack(now: number, stepMs: number): void {
    let moved = 0;
    for (const entry of this.#entries.values()) {
      const due = dueAt(entry.state);
      if (due <= now || due === Number.POSITIVE_INFINITY) continue;
      append(entry, decideClockStep(entry.state, now, stepMs));
      moved += 1;
    }
    this.budgets.stepBack(now, stepMs);
    this.#options.logger.warn('the clock stepped back; waits moved back as much', { stepMs, entries: moved });
  }

  #now(): number {
    return this.#clock.now();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('The memory store is closed', { code: 'OUTBOX_CLOSED' });
  }
}
