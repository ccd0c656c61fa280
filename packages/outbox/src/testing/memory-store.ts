import {
  type BudgetPause,
  CapacityError,
  type ClaimedEntry,
  type ClaimOptions,
  createIdFactory,
  decideClaim,
  decideClockStep,
  decideEvict,
  decideRecord,
  decideRequeue,
  type EntryState,
  evolve,
  fold,
  hasOwnTimestamp,
  IdConflictError,
  isLogger,
  type LifecycleEvent,
  type Logger,
  MAX_DELAY_MS,
  type OutboxStats,
  type Release,
  type Settlement,
  type SettleResult,
  StorageError,
  type StoredEntry,
  sameEventContent,
  silentLogger,
  type TimelineEventInput,
  ValidationError,
  type ValidationIssue,
} from '@hubline/core';
import { type Observable, Subject } from 'rxjs';
import { capacityReason } from '../decisions/capacity-reason.js';
import { readClock } from '../decisions/clock-watch.js';
import { releaseEvents, settlementEvents } from '../decisions/outcome-events.js';
import { type PreparedEvent, prepareEvent } from '../decisions/prepare-event.js';
import { DEFAULT_RETENTION_MS } from '../options/defaults.js';
import { LIMIT, POSITIVE_INTEGER } from '../options/number-rules.js';
import type { CapacityPolicy } from '../options/outbox-options.js';
import type {
  Eviction,
  HistoryRecord,
  ListDeadOptions,
  Outbox,
  OutboxBudgets,
  PruneOptions,
} from '../types.js';
import {
  assertBudgetKey,
  assertBudgetPause,
  assertClaimOptions,
  assertId,
  assertInputArray,
  assertListDeadOptions,
  assertPruneOptions,
  assertRequeueIds,
} from '../validation/validate-arguments.js';
import { assertReleases, assertSettlements } from '../validation/validate-outcomes.js';
import { type MemoryEntry, seedInput, toClaimed, toStored } from './memory-entry.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Epoch-ms clock: in engine tests, the virtual scheduler's `now`. @default Date.now */
  readonly clock?: () => number;
  /** Where the store reports what the SQLite outbox would. @default silentLogger */
  readonly logger?: Logger;
  /** As `OutboxOptions.maxEntries`. @default Infinity */
  readonly maxEntries?: number;
  /** As `OutboxOptions.maxBytes`. @default Infinity */
  readonly maxBytes?: number;
  /** As `OutboxOptions.capacityPolicy`. @default 'reject' */
  readonly capacityPolicy?: CapacityPolicy;
  /** As `OutboxOptions.maxEventBytes`. @default 65536 */
  readonly maxEventBytes?: number;
}

/** One call a test may want to look at afterwards. */
export interface SettleCall {
  /** The owner passed. */
  readonly owner: string;
  /** The settlements passed, as passed. */
  readonly settlements: readonly Settlement[];
}

/** One `release` call, as passed. */
export interface ReleaseCall {
  /** The owner passed. */
  readonly owner: string;
  /** The releases passed, as passed. */
  readonly releases: readonly Release[];
}

/**
 * An {@link Outbox} in memory, for tests: the same decisions as the SQLite outbox (core's `decide*` and
 * `evolve`), the same validation and the same answers, proven by the same contract suite
 * (`describeStoreContract`), without a file. Plus what a test wants to look at.
 */
export interface MemoryStore extends Outbox {
  /** Every `settle` call, in order. */
  readonly settleCalls: readonly SettleCall[];
  /** Every `release` call, in order. */
  readonly releaseCalls: readonly ReleaseCall[];
  /**
   * Records `count` small events with the ids `e000`, `e001`, … (numbering on from the last seed), in one
   * `recordMany`.
   *
   * @param count - how many
   * @param bytes - the serialised size of each, when a test needs a given size (padded with a token)
   * @returns their ids
   */
  seed(count: number, bytes?: number): string[];
}

/**
 * Creates an in-memory store.
 *
 * @param options - the clock, and the capacity settings the SQLite outbox takes
 * @example
 * ```ts
 * import { createMemoryStore } from '@hubline/outbox/testing';
 *
 * const clock = createVirtualClock();
 * const store = createMemoryStore({ clock: clock.now });
 * store.seed(25);
 * const engine = createSyncEngine({ outbox: store, … });
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new InMemoryStore(options);
}

/** Checks the options, naming each that is not usable. */
function resolve(options: MemoryStoreOptions) {
  const issues: ValidationIssue[] = [];
  const { clock = Date.now, logger = silentLogger, capacityPolicy = 'reject' } = options;
  if (typeof clock !== 'function')
    issues.push({ path: 'clock', message: 'must be a function returning epoch ms' });
  if (!isLogger(logger))
    issues.push({ path: 'logger', message: 'must have debug, info, warn and error methods' });
  if (capacityPolicy !== 'reject' && capacityPolicy !== 'evict-oldest') {
    issues.push({ path: 'capacityPolicy', message: 'must be "reject" or "evict-oldest"' });
  }
  const numeric = (name: 'maxEntries' | 'maxBytes' | 'maxEventBytes', fallback: number, rule = LIMIT) => {
    const value = options[name] ?? fallback;
    if (!rule.accepts(value)) issues.push({ path: name, message: `must be ${rule.words}, got ${value}` });
    return value;
  };
  const resolved = {
    clock,
    logger,
    capacityPolicy,
    maxEntries: numeric('maxEntries', Number.POSITIVE_INFINITY),
    maxBytes: numeric('maxBytes', Number.POSITIVE_INFINITY),
    maxEventBytes: numeric('maxEventBytes', 65_536, POSITIVE_INTEGER),
  };
  if (issues.length > 0) throw new ValidationError('memory store options', issues);
  return resolved;
}

const NOTHING_SETTLED: SettleResult = Object.freeze({ applied: [], lost: [], deadLettered: [] });

class InMemoryStore implements MemoryStore {
  readonly #options: ReturnType<typeof resolve>;
  readonly #newId: () => string;
  /** Every entry by id, in record order (a Map keeps insertion order). */
  readonly #entries = new Map<string, MemoryEntry>();
  readonly #budgets = new Map<string, { pausedUntil: number; reason: string }>();
  readonly #changes = new Subject<number>();
  readonly #evicted = new Subject<Eviction>();
  #nextRk = 1;
  #seeded = 0;
  /** The highest clock reading seen (as the SQLite outbox keeps it in its file). */
  #highWater = 0;
  #closed = false;

  readonly settleCalls: SettleCall[] = [];
  readonly releaseCalls: ReleaseCall[] = [];
  readonly changes$: Observable<number> = this.#changes.asObservable();
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();
  readonly budgets: OutboxBudgets;

  constructor(options: MemoryStoreOptions) {
    this.#options = resolve(options);
    this.#newId = createIdFactory({ clock: () => this.#now() });
    this.budgets = {
      pause: (key, delayMs, reason) => this.#pause(key, delayMs, reason),
      pausedFor: (key) => this.#pausedFor(key),
    };
  }

  record(input: TimelineEventInput): string {
    return this.recordMany([input])[0]!;
  }

  recordMany(inputs: readonly TimelineEventInput[]): string[] {
    this.#assertOpen();
    assertInputArray(inputs);
    if (inputs.length === 0) return [];
    const now = this.#now();
    const settings = { now, newId: this.#newId, maxEventBytes: this.#options.maxEventBytes };
    const prepared = inputs.map((input, index) =>
      prepareEvent(input, settings, inputs.length > 1 ? index : undefined),
    );
    const fresh = this.#freshOf(prepared);
    const evictions = this.#makeRoom(fresh, now);
    for (const entry of fresh) {
      const log = decideRecord(undefined, now, entry.bytes);
      this.#entries.set(entry.event.id, {
        id: entry.event.id,
        rk: this.#nextRk++,
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

  seed(count: number, bytes?: number): string[] {
    const inputs = Array.from({ length: count }, () => {
      const id = `e${String(this.#seeded++).padStart(3, '0')}`;
      return seedInput(id, bytes, this.#now(), this.#options.maxEventBytes);
    });
    return this.recordMany(inputs);
  }

  claim(options: ClaimOptions): ClaimedEntry[] {
    this.#assertOpen();
    assertClaimOptions(options);
    const { limit, leaseMs, owner } = options;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const at = this.#now();
    const due = [...this.#entries.values()]
      .filter((entry) => isDue(entry.state, at))
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

  settle(owner: string, settlements: readonly Settlement[]): SettleResult {
    this.#assertOpen();
    assertSettlements(owner, settlements);
    this.settleCalls.push({ owner, settlements });
    if (settlements.length === 0) return NOTHING_SETTLED;
    return this.#apply(owner, settlements, settlementEvents);
  }

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

  nextDueIn(): number | null {
    this.#assertOpen();
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const { state } of this.#entries.values()) next = Math.min(next, dueAt(state));
    if (next === Number.POSITIVE_INFINITY) return null;
    return Math.min(MAX_DELAY_MS, Math.max(0, next - now));
  }

  get(id: string): StoredEntry | undefined {
    this.#assertOpen();
    assertId(id, 'get');
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : toStored(entry);
  }

  history(id: string): HistoryRecord[] {
    this.#assertOpen();
    assertId(id, 'history');
    return (this.#entries.get(id)?.log ?? []).map((event, index) => ({ seq: index + 1, event }));
  }

  listDead(options: ListDeadOptions = {}): StoredEntry[] {
    this.#assertOpen();
    assertListDeadOptions(options);
    const after = options.afterId === undefined ? 0 : (this.#entries.get(options.afterId)?.rk ?? 0);
    return [...this.#entries.values()]
      .filter((entry) => entry.state.status === 'dead' && entry.rk > after)
      .slice(0, options.limit ?? 100)
      .map(toStored);
  }

  requeue(ids: readonly string[] | 'all-dead'): number {
    this.#assertOpen();
    assertRequeueIds(ids);
    const at = this.#now();
    const chosen = ids === 'all-dead' ? [...this.#entries.values()] : ids.map((id) => this.#entries.get(id));
    let count = 0;
    for (const entry of chosen) {
      if (entry?.state.status !== 'dead') continue;
      append(entry, decideRequeue(entry.state, at));
      count += 1;
    }
    if (count > 0) this.#changes.next(count);
    return count;
  }

  prune(options: PruneOptions = {}): number {
    this.#assertOpen();
    assertPruneOptions(options);
    const cutoff = this.#now() - (options.olderThanMs ?? DEFAULT_RETENTION_MS);
    let pruned = 0;
    for (const [id, { state }] of this.#entries) {
      if ((state.status === 'delivered' || state.status === 'evicted') && state.updatedAt < cutoff) {
        this.#entries.delete(id);
        pruned += 1;
      }
    }
    return pruned;
  }

  stats(): OutboxStats {
    this.#assertOpen();
    const now = this.#now();
    const counts = { pending: 0, leased: 0, delivered: 0, dead: 0, evicted: 0 };
    let oldest = Number.POSITIVE_INFINITY;
    let backlogBytes = 0;
    for (const { state } of this.#entries.values()) {
      counts[state.status] += 1;
      if (state.status === 'pending' || state.status === 'leased') {
        oldest = Math.min(oldest, state.recordedAt);
        backlogBytes += state.bytes;
      }
    }
    return {
      pending: counts.pending,
      inFlight: counts.leased,
      delivered: counts.delivered,
      dead: counts.dead,
      evicted: counts.evicted,
      oldestPendingAgeMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - oldest),
      backlogBytes,
    };
  }

  rebuildProjection(): void {
    this.#assertOpen();
    const rebuilt = [...this.#entries.values()].map((entry) => [entry, fold(entry.log)] as const);
    for (const [entry, state] of rebuilt) entry.state = state;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#changes.complete();
    this.#evicted.complete();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** The new entries of a record call; throws on a conflict before anything changes. */
  #freshOf(prepared: readonly PreparedEvent[]): PreparedEvent[] {
    const fresh = new Map<string, PreparedEvent>();
    for (const entry of prepared) {
      const stored = this.#entries.get(entry.event.id)?.event ?? fresh.get(entry.event.id)?.event;
      if (stored === undefined) {
        fresh.set(entry.event.id, entry);
        continue;
      }
      if (!sameEventContent(stored, entry.event, { ignoreTimestamp: !hasOwnTimestamp(entry.input) })) {
        throw new IdConflictError(entry.event.id);
      }
    }
    return [...fresh.values()];
  }

  /**
   * Applies the size cap to a record call, as the SQLite outbox does: throws before anything changes under the
   * `reject` policy or when nothing can be evicted; otherwise evicts the oldest pending entries recorded before
   * this call (never one in flight) until the new ones fit.
   */
  #makeRoom(fresh: readonly PreparedEvent[], at: number): Eviction[] {
    const { maxEntries, maxBytes, capacityPolicy } = this.#options;
    if (fresh.length === 0) return [];
    const open = [...this.#entries.values()].filter(
      ({ state }) => state.status === 'pending' || state.status === 'leased',
    );
    let entries = open.length + fresh.length;
    let bytes = sumBytes(open) + sumBytes(fresh);
    const over = (): 'maxEntries' | 'maxBytes' | undefined =>
      entries > maxEntries ? 'maxEntries' : bytes > maxBytes ? 'maxBytes' : undefined;
    let limit = over();
    if (limit === undefined) return [];
    if (capacityPolicy === 'reject') throw new CapacityError(limit, this.#options[limit]);
    const candidates = open
      .filter(({ state }) => state.status === 'pending')
      .sort((a, b) => a.state.recordedAt - b.state.recordedAt || a.rk - b.rk);
    const chosen: { entry: MemoryEntry; reason: string }[] = [];
    for (const entry of candidates) {
      if (limit === undefined) break;
      chosen.push({ entry, reason: capacityReason(limit, this.#options[limit]) });
      entries -= 1;
      bytes -= entry.bytes;
      limit = over();
    }
    if (limit !== undefined) throw new CapacityError(limit, this.#options[limit]);
    for (const { entry, reason } of chosen) append(entry, decideEvict(entry.state, at, reason));
    if (chosen.length > 0) {
      this.#options.logger.warn('evicted the oldest pending entries to make room', {
        evicted: chosen.length,
      });
    }
    return chosen.map(({ entry, reason }) => ({ id: entry.id, reason }));
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

  #pause(key: string, delayMs: number, reason: string): void {
    this.#assertOpen();
    assertBudgetPause(key, delayMs, reason);
    const pausedUntil = this.#now() + Math.ceil(delayMs);
    const current = this.#budgets.get(key);
    if (current === undefined || pausedUntil > current.pausedUntil)
      this.#budgets.set(key, { pausedUntil, reason });
  }

  #pausedFor(key: string): BudgetPause | undefined {
    this.#assertOpen();
    assertBudgetKey(key);
    const now = this.#now();
    const pause = this.#budgets.get(key);
    if (pause === undefined) return undefined;
    const remainingMs = pause.pausedUntil - now;
    return remainingMs > 0 ? { remainingMs, reason: pause.reason } : undefined;
  }

  /**
   * The clock's reading, checked as the SQLite outbox checks it, against the high-water mark of the readings
   * before it: a step back moves every wait back once (see `decisions/clock-watch.ts`).
   */
  #now(): number {
    const now = this.#options.clock();
    if (!Number.isSafeInteger(now)) {
      throw new ValidationError('memory store clock', [
        { path: 'clock', message: `must return whole epoch milliseconds, returned ${String(now)}` },
      ]);
    }
    const reading = readClock(this.#highWater, now);
    if (reading.kind === 'stepped-back') this.#absorbClockStep(now, reading.stepMs);
    if (reading.kind !== 'steady') this.#highWater = now;
    return now;
  }

  /** Moves every wait that ends after `now` back by `stepMs`: entries through `ClockSteppedBack`, budget pauses. */
  #absorbClockStep(now: number, stepMs: number): void {
    let moved = 0;
    for (const entry of this.#entries.values()) {
      if (dueAt(entry.state) <= now || dueAt(entry.state) === Number.POSITIVE_INFINITY) continue;
      append(entry, decideClockStep(entry.state, now, stepMs));
      moved += 1;
    }
    for (const pause of this.#budgets.values()) {
      if (pause.pausedUntil > now) pause.pausedUntil -= stepMs;
    }
    this.#options.logger.warn('the clock stepped back; waits moved back as much', { stepMs, entries: moved });
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('The memory store is closed', { code: 'OUTBOX_CLOSED' });
  }
}

/** Appends events to an entry's log, through core's `evolve`. */
function append(entry: MemoryEntry, events: readonly LifecycleEvent[]): void {
  for (const event of events) {
    entry.state = evolve(entry.state, event);
    entry.log.push(event);
  }
}

/** When an entry may next be claimed; `Infinity` once it never will. */
function dueAt(state: EntryState): number {
  if (state.status === 'pending') return state.nextAttemptAt;
  if (state.status === 'leased') return state.leaseUntil ?? Number.POSITIVE_INFINITY;
  return Number.POSITIVE_INFINITY;
}

function sumBytes(entries: readonly { readonly bytes: number }[]): number {
  return entries.reduce((sum, entry) => sum + entry.bytes, 0);
}

function isDue(state: EntryState, at: number): boolean {
  return dueAt(state) <= at;
}
