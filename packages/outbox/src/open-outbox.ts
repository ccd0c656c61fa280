import {
  CapacityError,
  createIdFactory,
  DEFAULT_MAX_EVENT_BYTES,
  decideClaim,
  decideEvict,
  decideRecord,
  decideRequeue,
  decideSettle,
  type EntryState,
  evolve,
  fold,
  hasOwnTimestamp,
  IdConflictError,
  LifecycleError,
  type LifecycleEvent,
  normalizeEventWithJson,
  type SettleCommand,
  StorageError,
  sameEventContent,
  type TimelineEvent,
  type TimelineEventInput,
  ValidationError,
} from '@hubline/core';
import type Database from 'better-sqlite3';
import { type Observable, Subject } from 'rxjs';
import { assertInputArray, assertSettlements } from './call-shapes.js';
import { checkedClock } from './checked-clock.js';
import { StoredClaimedEntry } from './storage/claimed-entry.js';
import { ColdQueries, type EntryRecord } from './storage/cold-queries.js';
import { type Lease, LeaseBook } from './storage/lease-book.js';
import { decodeEvent, encodeEventData } from './storage/lifecycle-codec.js';
import { DEFAULT_CACHE_SIZE_KIB, DEFAULT_MMAP_SIZE_BYTES, openDatabase } from './storage/open-database.js';
import {
  backlogAtOf,
  CounterDelta,
  dueAtOf,
  type EntryRow,
  type EntryTuple,
  recordToState,
  rowOfTuple,
  rowToState,
} from './storage/projection.js';
import { prepareStatements, type Statements } from './storage/statements.js';
import { toStorageError } from './storage/to-storage-error.js';
import type {
  ClaimedEntry,
  ClaimOptions,
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

/** How long `prune` keeps delivered entries by default: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Default busy timeout: how long a write waits for another connection's lock. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** A failure budget so large that only the engine decides when to give up. */
const UNLIMITED_ATTEMPTS = Number.MAX_SAFE_INTEGER;

/**
 * Entries read per page by the walks over many entries (`prune`, `rebuildProjection`, `requeue('all-dead')`,
 * eviction), which bounds their memory. Only `prune` also commits per page, letting other writers in between;
 * the others run in one transaction (see `rebuildProjection` in types.ts for why).
 */
const CHUNK = 1000;

const SILENT_LOGGER: OutboxLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The connection behind each outbox, for tests and the benchmark (not part of the public API). */
const connections = new WeakMap<Outbox, Database.Database>();

/**
 * The better-sqlite3 connection of an outbox opened by {@link openOutbox}. For tests and benchmarks only.
 *
 * @param outbox - an open outbox
 */
export function databaseOf(outbox: Outbox): Database.Database {
  const db = connections.get(outbox);
  if (db === undefined) throw new StorageError('Not an outbox opened by openOutbox', { code: 'NOT_FOUND' });
  return db;
}

/**
 * Opens (creating and migrating if needed) a durable outbox on a SQLite file.
 *
 * @param options - the path and the durability, capacity, clock and logger settings
 * @returns the outbox; every method is synchronous and returns once SQLite has committed
 * @throws {@link StorageError} `STORAGE_FAILED` for a file that is not a database, a directory or an unwritable
 * path, and for a damaged file when `integrityCheck` is on; `SCHEMA_TOO_NEW` for a database written by a newer
 * version (left untouched, its WAL included)
 * @throws {@link ValidationError} for impossible options
 * @example
 * ```ts
 * const outbox = openOutbox({ path: 'activity.db', maxEntries: 100_000, capacityPolicy: 'evict-oldest' });
 * const id = outbox.record({ eventTemplateId: '1001234', email: 'ana@example.com', tokens: { page: '/pricing' } });
 * outbox.close();
 * ```
 */
export function openOutbox(options: OutboxOptions): Outbox {
  const settings = resolveOptions(options);
  const db = openDatabase({
    path: settings.path,
    durability: settings.durability,
    busyTimeoutMs: settings.busyTimeoutMs,
    cacheSizeKiB: settings.cacheSizeKiB,
    mmapSizeBytes: settings.mmapSizeBytes,
    integrityCheck: settings.integrityCheck,
  });
  let outbox: SqliteOutbox;
  try {
    outbox = new SqliteOutbox(db, settings);
  } catch (error) {
    db.close();
    throw toStorageError(error, 'open', settings.path);
  }
  connections.set(outbox, db);
  settings.logger.debug('outbox opened', { path: settings.path, durability: settings.durability });
  return outbox;
}

type ResolvedOptions = Required<OutboxOptions>;

/** What a numeric option must be, and how an error says it. */
interface NumberRule {
  readonly words: string;
  accepts(value: number): boolean;
}

/** `maxEntries`, `maxBytes`: a count, or no limit at all. */
const LIMIT: NumberRule = {
  words: 'an integer ≥ 1 or Infinity',
  accepts: (value) => value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0),
};
const POSITIVE_INTEGER: NumberRule = {
  words: 'an integer ≥ 1',
  accepts: (value) => Number.isSafeInteger(value) && value > 0,
};
const NON_NEGATIVE_INTEGER: NumberRule = {
  words: 'an integer ≥ 0',
  accepts: (value) => Number.isSafeInteger(value) && value >= 0,
};

function resolveOptions(options: OutboxOptions): ResolvedOptions {
  const issues: { path: string; message: string }[] = [];
  /** `value`, or `fallback` when it is absent; an issue naming the option when `rule` refuses it. */
  const numeric = (
    name: keyof OutboxOptions,
    value: number | undefined,
    fallback: number,
    rule: NumberRule,
  ): number => {
    if (value === undefined) return fallback;
    if (!rule.accepts(value)) issues.push({ path: name, message: `must be ${rule.words}, got ${value}` });
    return value;
  };
  if (typeof options.path !== 'string' || options.path.length === 0) {
    issues.push({ path: 'path', message: 'must be a file path or ":memory:"' });
  }
  const durability = options.durability ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') {
    issues.push({ path: 'durability', message: `must be "normal" or "full", got ${String(durability)}` });
  }
  const capacityPolicy = options.capacityPolicy ?? 'reject';
  if (capacityPolicy !== 'reject' && capacityPolicy !== 'evict-oldest') {
    issues.push({
      path: 'capacityPolicy',
      message: `must be "reject" or "evict-oldest", got ${String(capacityPolicy)}`,
    });
  }
  const integrityCheck = options.integrityCheck ?? 'off';
  if (integrityCheck !== 'off' && integrityCheck !== 'quick' && integrityCheck !== 'full') {
    issues.push({
      path: 'integrityCheck',
      message: `must be "off", "quick" or "full", got ${String(integrityCheck)}`,
    });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!(busyTimeoutMs >= 0))
    issues.push({ path: 'busyTimeoutMs', message: `must be ≥ 0, got ${busyTimeoutMs}` });
  const resolved: ResolvedOptions = {
    path: options.path,
    durability,
    busyTimeoutMs,
    clock: checkedClock(options.clock ?? Date.now),
    logger: options.logger ?? SILENT_LOGGER,
    maxEntries: numeric('maxEntries', options.maxEntries, Number.POSITIVE_INFINITY, LIMIT),
    maxBytes: numeric('maxBytes', options.maxBytes, Number.POSITIVE_INFINITY, LIMIT),
    capacityPolicy,
    maxEventBytes: numeric('maxEventBytes', options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES, POSITIVE_INTEGER),
    cacheSizeKiB: numeric('cacheSizeKiB', options.cacheSizeKiB, DEFAULT_CACHE_SIZE_KIB, NON_NEGATIVE_INTEGER),
    mmapSizeBytes: numeric(
      'mmapSizeBytes',
      options.mmapSizeBytes,
      DEFAULT_MMAP_SIZE_BYTES,
      NON_NEGATIVE_INTEGER,
    ),
    integrityCheck,
  };
  if (issues.length > 0) throw new ValidationError('outbox options', issues);
  return resolved;
}

/** A normalised event ready to insert. */
interface Prepared {
  readonly input: TimelineEventInput;
  readonly event: TimelineEvent;
  readonly json: string;
  readonly bytes: number;
}

class SqliteOutbox implements Outbox {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  /** History, dead letters, prune and rebuild, through drizzle (see {@link ColdQueries}). */
  readonly #cold: ColdQueries;
  readonly #options: ResolvedOptions;
  readonly #newId: () => string;
  /** One transaction wrapper for every write: better-sqlite3 builds four closures per `transaction()` call. */
  readonly #transaction: Database.Transaction<(body: () => unknown) => unknown>;
  readonly #recorded = new Subject<number>();
  readonly #evicted = new Subject<Eviction>();
  /** Leases this connection took and has not settled: settling them needs no read (see {@link LeaseBook}). */
  readonly #leases = new LeaseBook();
  #closed = false;

  readonly recorded$: Observable<number> = this.#recorded.asObservable();
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();

  constructor(db: Database.Database, options: ResolvedOptions) {
    this.#db = db;
    this.#options = options;
    this.#sql = prepareStatements(db);
    this.#cold = new ColdQueries(db);
    this.#transaction = db.transaction((body: () => unknown) => body());
    this.#newId = createIdFactory({ clock: options.clock });
  }

  record(input: TimelineEventInput): string {
    const ids = this.recordMany([input]);
    return ids[0]!;
  }

  recordMany(inputs: readonly TimelineEventInput[]): string[] {
    this.#assertOpen();
    assertInputArray(inputs);
    if (inputs.length === 0) return [];
    const now = this.#options.clock();
    // Validate everything before the transaction: a bad event anywhere means nothing is written.
    const prepared = inputs.map((input, index) =>
      this.#prepare(input, now, inputs.length > 1 ? index : undefined),
    );
    const evictions: Eviction[] = [];
    const inserted = this.#write('record', () => this.#insertAll(prepared, now, evictions));
    for (const eviction of evictions) this.#evicted.next(eviction);
    if (inserted > 0) this.#recorded.next(inserted);
    return prepared.map((entry) => entry.event.id);
  }

  claim(options: ClaimOptions): ClaimedEntry[] {
    this.#assertOpen();
    const { limit, leaseMs, owner } = options;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (!(Number.isInteger(limit) && limit > 0)) {
      throw new ValidationError('claim options', [
        { path: 'limit', message: `must be a positive integer, got ${limit}` },
      ]);
    }
    if (typeof owner !== 'string' || owner.length === 0) {
      throw new ValidationError('claim options', [{ path: 'owner', message: 'must be a non-empty string' }]);
    }
    // Core checks the lease too, but only for an entry it sees: refuse it even when nothing is due.
    if (!(typeof leaseMs === 'number' && leaseMs > 0)) {
      throw new ValidationError('claim options', [
        { path: 'leaseMs', message: `must be positive, got ${leaseMs}` },
      ]);
    }
    return this.#write('claim', () => {
      const at = this.#options.clock();
      const rows = (this.#sql.selectDue.all(at, limit) as EntryTuple[]).map(rowOfTuple);
      const claimed: ClaimedEntry[] = [];
      const delta = new CounterDelta();
      // Every log row and every projection of the batch is written by a few multi-row statements at the end.
      const log: unknown[] = [];
      const projections: unknown[] = [];
      const command = { at, owner, leaseMs };
      // Noted in the lease book after the writes.
      const taken: Lease[] = [];
      let bytes = 0;
      for (const row of rows) {
        if (claimed.length > 0 && bytes + row.bytes > maxBytes) break;
        bytes += row.bytes;
        const before = rowToState(row);
        const events = decideClaim(before, command);
        const state = appendTo(log, row.rk, row.version, before, events);
        if (events.length > 1)
          this.#options.logger.debug('lease expired', { id: row.id, owner: row.lease_owner });
        projections.push(
          row.rk,
          state.status,
          state.nextAttemptAt,
          state.leaseOwner,
          state.leaseUntil,
          state.updatedAt,
          row.version + events.length,
          dueAtOf(state),
        );
        delta.move(before.status, state.status, row.bytes);
        taken.push({
          id: row.id,
          rk: row.rk,
          owner,
          bytes: row.bytes,
          version: row.version + events.length,
          state,
        });
        claimed.push(
          new StoredClaimedEntry(
            row.id,
            row.event,
            state.attempts,
            row.bytes,
            state.recordedAt,
            state.leaseUntil!,
          ),
        );
      }
      this.#sql.insertEvents.run(log);
      this.#sql.updateClaimedMany.run(projections);
      this.#addCounters(delta);
      // Noted once the writes succeeded; a commit that fails after this leaves leases whose version the rows
      // never reached, which settle detects and reads past.
      this.#leases.rememberClaim(taken);
      return claimed;
    });
  }

  settle(owner: string, settlements: readonly Settlement[]): SettleResult {
    this.#assertOpen();
    // The whole call's shape before any of it is applied: one bad settlement refuses the call, as core's
    // validation refuses a recordMany.
    assertSettlements(owner, settlements);
    if (settlements.length === 0) return { applied: [], lost: [], deadLettered: [] };
    return this.#write('settle', () => {
      const at = this.#options.clock();
      const result: SettleAccumulator = {
        applied: [],
        lost: [],
        deadLettered: [],
        delta: new CounterDelta(),
        log: [],
      };
      const unsettled = this.#settleHeldLeases(owner, settlements, at, result);
      if (unsettled.length > 0) this.#settleByReading(owner, unsettled, at, result);
      this.#sql.insertEvents.run(result.log);
      this.#addCounters(result.delta);
      const { applied, lost, deadLettered } = result;
      if (lost.length > 0)
        this.#options.logger.warn('settle refused for lost leases', { owner, lost: lost.length });
      return { applied, lost, deadLettered };
    });
  }

  /**
   * Settles the entries whose leases this connection took, from the state it noted at the claim: no read, and
   * one compare-and-set UPDATE that applies only to rows still at the noted id and version. Returns the
   * settlements it could not vouch for (no noted lease, another owner, a row changed since), in order.
   */
  #settleHeldLeases(
    owner: string,
    settlements: readonly Settlement[],
    at: number,
    result: SettleAccumulator,
  ): Settlement[] {
    if (this.#leases.size === 0) return [...settlements];
    const unsettled: Settlement[] = [];
    const held: { settlement: Settlement; lease: Lease; events: LifecycleEvent[]; state: EntryState }[] = [];
    const guarded: unknown[] = [];
    for (const settlement of settlements) {
      const lease = this.#leases.take(settlement.id, owner);
      if (lease === undefined) {
        unsettled.push(settlement);
        continue;
      }
      const events = settleEvents(lease.state, owner, settlement, at);
      if (events === undefined) {
        unsettled.push(settlement);
        continue;
      }
      const state = events.reduce<EntryState>(evolve, lease.state);
      guarded.push(lease.rk, settlement.id, lease.version);
      pushProjection(guarded, state, lease.version + events.length);
      held.push({ settlement, lease, events, state });
    }
    if (held.length === 0) return unsettled;
    const changed = new Set(
      this.#sql.updateProjectionIfUnchanged.all<readonly [number]>(guarded).map(([rk]) => rk),
    );
    for (const { settlement, lease, events, state } of held) {
      if (!changed.has(lease.rk)) {
        unsettled.push(settlement);
        continue;
      }
      pushLog(result.log, lease.rk, lease.version, events);
      countApplied(result, settlement.id, lease.state, state, lease.bytes);
    }
    return unsettled;
  }

  /** Settles by reading each entry's current row first: the general path, and the only one across processes. */
  #settleByReading(
    owner: string,
    settlements: readonly Settlement[],
    at: number,
    result: SettleAccumulator,
  ): void {
    // One read for the whole batch; an id settled twice in one call sees its first settlement's result.
    const entries = new Map<string, Settling>();
    const ids = [...new Set(settlements.map((settlement) => settlement.id))];
    for (const tuple of this.#sql.selectStatesByIds.all<EntryTuple>(ids)) {
      const row = rowOfTuple(tuple);
      entries.set(row.id, { rk: row.rk, bytes: row.bytes, version: row.version, state: rowToState(row) });
    }
    const changed = new Set<Settling>();
    for (const settlement of settlements) {
      const entry = entries.get(settlement.id);
      if (entry === undefined) {
        result.lost.push(settlement.id);
        continue;
      }
      const before = entry.state;
      const events = settleEvents(before, owner, settlement, at);
      if (events === undefined) {
        // The lease is gone (expired and taken, or already settled): refuse, never apply twice.
        result.lost.push(settlement.id);
        continue;
      }
      entry.state = appendTo(result.log, entry.rk, entry.version, before, events);
      entry.version += events.length;
      changed.add(entry);
      countApplied(result, settlement.id, before, entry.state, entry.bytes);
    }
    const projections: unknown[] = [];
    for (const { rk, version, state } of changed) {
      projections.push(rk);
      pushProjection(projections, state, version);
    }
    this.#sql.updateProjectionMany.run(projections);
  }

  nextDueAt(): number | null {
    this.#assertOpen();
    return this.#read('nextDueAt', () => (this.#sql.nextDue.get() as number | undefined) ?? null);
  }

  get(id: string): OutboxEntry | undefined {
    this.#assertOpen();
    const row = this.#read('get', () => this.#sql.selectById.get(id) as EntryRow | undefined);
    return row === undefined ? undefined : toEntry(row);
  }

  history(id: string): HistoryRecord[] {
    this.#assertOpen();
    return this.#read('history', () =>
      this.#cold
        .historyOf(id)
        .map((record) => ({ seq: record.seq, event: decodeEvent(record.type, record.at, record.data) })),
    );
  }

  listDead(options: { limit?: number; afterId?: string } = {}): OutboxEntry[] {
    this.#assertOpen();
    const limit = options.limit ?? 100;
    return this.#read('listDead', () => {
      const after = options.afterId === undefined ? 0 : (this.#cold.rkOf(options.afterId) ?? 0);
      return this.#cold.deadAfter(after, limit).map(recordToEntry);
    });
  }

  requeue(ids: readonly string[] | 'all-dead'): number {
    this.#assertOpen();
    const requeued = this.#write('requeue', () => {
      const at = this.#options.clock();
      const delta = new CounterDelta();
      let count = 0;
      const requeueRow = (record: EntryRecord | undefined) => {
        if (record === undefined || record.status !== 'dead') return;
        const before = recordToState(record);
        const events = decideRequeue(before, at);
        const state = this.#append(record.rk, record.version, before, events);
        this.#writeProjection(record.rk, record.version + events.length, state);
        delta.move(before.status, state.status, record.bytes);
        count += 1;
      };
      if (ids === 'all-dead') {
        // Walk the dead-letter index a chunk at a time: memory stays flat however many there are.
        for (let after = 0; ; ) {
          const records = this.#cold.deadAfter(after, CHUNK);
          records.forEach(requeueRow);
          if (records.length < CHUNK) break;
          after = records.at(-1)!.rk;
        }
      } else {
        for (const id of ids) requeueRow(this.#cold.entryById(id));
      }
      this.#addCounters(delta);
      return count;
    });
    if (requeued > 0) this.#recorded.next(requeued);
    return requeued;
  }

  prune(options: { olderThanMs?: number } = {}): number {
    this.#assertOpen();
    const olderThanMs = options.olderThanMs ?? DEFAULT_RETENTION_MS;
    const cutoff = this.#options.clock() - olderThanMs;
    let pruned = 0;
    let after = 0;
    // One pass in rowid order, a chunk per transaction: other writers get the lock between chunks.
    for (;;) {
      const { done, last, count } = this.#write('prune', () => {
        const rows = this.#cold.pruneCandidatesAfter(after, CHUNK);
        // The newest row carries the running totals of everything recorded: it stays.
        const newestRk = this.#cold.newestRk();
        const delta = new CounterDelta();
        let removed = 0;
        for (const row of rows) {
          const finished = row.status === 'delivered' || row.status === 'evicted';
          if (finished && row.updatedAt < cutoff && row.rk !== newestRk) {
            this.#cold.deleteEntry(row.rk);
            delta.move(row.status, undefined, 0);
            removed += 1;
          }
        }
        this.#addCounters(delta);
        return { done: rows.length < CHUNK, last: rows.at(-1)?.rk ?? after, count: removed };
      });
      pruned += count;
      after = last;
      if (done) break;
    }
    if (pruned > 0) this.#options.logger.info('pruned delivered entries', { pruned, olderThanMs });
    return pruned;
  }

  stats(): OutboxStats {
    this.#assertOpen();
    return this.#read('stats', () => {
      const now = this.#options.clock();
      const row = this.#sql.readCounters.get() as {
        pending: number;
        leased: number;
        delivered: number;
        dead: number;
        evicted: number;
        backlog_bytes: number;
      };
      const oldest = this.#sql.oldestBacklog.get() as number | undefined;
      return {
        pending: row.pending,
        inFlight: row.leased,
        delivered: row.delivered,
        dead: row.dead,
        evicted: row.evicted,
        oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
        backlogBytes: row.backlog_bytes,
      };
    });
  }

  rebuildProjection(): void {
    this.#assertOpen();
    // One transaction on purpose, holding the write lock throughout: see the TSDoc in types.ts.
    this.#write('rebuildProjection', () => {
      let after = 0;
      for (;;) {
        const rks = this.#cold.rksAfter(after, CHUNK);
        for (const rk of rks) {
          const events = this.#cold
            .logOf(rk)
            .map((record) => decodeEvent(record.type, record.at, record.data));
          this.#writeProjection(rk, events.length, fold(events));
        }
        if (rks.length < CHUNK) break;
        after = rks.at(-1)!;
      }
      this.#cold.recountCounters();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#leases.clear();
    try {
      this.#db.close();
    } finally {
      this.#recorded.complete();
      this.#evicted.complete();
      this.#options.logger.debug('outbox closed', { path: this.#options.path });
    }
  }

  #prepare(input: TimelineEventInput, now: number, index: number | undefined): Prepared {
    try {
      // Core serialises the event to measure it; storing that JSON means each event is stringified once.
      const { event, json, bytes } = normalizeEventWithJson(input, {
        now,
        newId: this.#newId,
        maxEventBytes: this.#options.maxEventBytes,
      });
      return { input, event, json, bytes };
    } catch (error) {
      if (index !== undefined && error instanceof ValidationError) {
        throw new ValidationError(
          `timeline event at index ${index}`,
          error.issues.map((issue) => ({
            ...issue,
            path: issue.path ? `[${index}].${issue.path}` : `[${index}]`,
          })),
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Inserts each prepared event with its `Recorded`; returns how many were new. Runs inside a transaction. */
  #insertAll(prepared: readonly Prepared[], at: number, evictions: Eviction[]): number {
    const delta = new CounterDelta();
    let inserted = 0;
    let firstNewRk = Number.POSITIVE_INFINITY;
    // Recorded entries are counted in the running totals each new row carries (`insertEntry` adds them up),
    // not in `counters`.
    for (const entry of prepared) {
      const events = decideRecord(undefined, at, entry.bytes);
      const state = fold(events);
      const result = this.#sql.insertEntry.run(
        entry.event.id,
        entry.json,
        entry.bytes,
        state.status,
        state.attempts,
        state.recordedAt,
        state.nextAttemptAt,
        state.leaseOwner,
        state.leaseUntil,
        state.lastError,
        state.updatedAt,
        events.length,
        dueAtOf(state),
        backlogAtOf(state),
        entry.bytes,
      );
      if (result.changes === 0) {
        const stored = this.#sql.selectEventById.get(entry.event.id) as string;
        const ignoreTimestamp = !hasOwnTimestamp(entry.input);
        if (!sameEventContent(JSON.parse(stored) as TimelineEvent, entry.event, { ignoreTimestamp })) {
          throw new IdConflictError(entry.event.id);
        }
        continue;
      }
      const rk = Number(result.lastInsertRowid);
      firstNewRk = Math.min(firstNewRk, rk);
      events.forEach((event, index) => {
        this.#sql.insertEvent.run(rk, index + 1, event.type, event.at, encodeEventData(event));
      });
      inserted += 1;
    }
    if (inserted > 0) this.#enforceCapacity(delta, at, firstNewRk, evictions);
    this.#addCounters(delta);
    return inserted;
  }

  /**
   * Applies the size cap after the inserts of one transaction; throwing rolls them back. Only entries older
   * than this transaction's (`rk < firstNewRk`) are evicted: evicting what is being recorded would be silent loss.
   */
  #enforceCapacity(delta: CounterDelta, at: number, firstNewRk: number, evictions: Eviction[]): void {
    const { maxEntries, maxBytes, capacityPolicy } = this.#options;
    if (maxEntries === Number.POSITIVE_INFINITY && maxBytes === Number.POSITIVE_INFINITY) return;
    const current = this.#sql.readCounters.get() as {
      pending: number;
      leased: number;
      backlog_bytes: number;
    };
    let entries = current.pending + current.leased + delta.pending + delta.leased;
    let bytes = current.backlog_bytes + delta.backlogBytes;
    const over = (): 'maxEntries' | 'maxBytes' | undefined =>
      entries > maxEntries ? 'maxEntries' : bytes > maxBytes ? 'maxBytes' : undefined;
    let limit = over();
    if (limit === undefined) return;
    if (capacityPolicy === 'reject') throw new CapacityError(limit, this.#options[limit]);
    while (limit !== undefined) {
      const candidates = this.#sql.selectOldestPending.all(firstNewRk, CHUNK) as EntryRow[];
      if (candidates.length === 0) throw new CapacityError(limit, this.#options[limit]);
      for (const row of candidates) {
        const before = rowToState(row);
        const reason = `${limit} ${this.#options[limit]} reached`;
        const events = decideEvict(before, at, reason);
        const state = this.#append(row.rk, row.version, before, events);
        this.#writeProjection(row.rk, row.version + events.length, state);
        delta.move(before.status, state.status, row.bytes);
        entries -= 1;
        bytes -= row.bytes;
        evictions.push({ id: row.id, reason });
        limit = over();
        if (limit === undefined) break;
      }
    }
    this.#options.logger.warn('evicted the oldest pending entries to make room', {
      evicted: evictions.length,
    });
  }

  /** Appends events to an entry's log and returns the state they lead to. */
  #append(rk: number, version: number, before: EntryState, events: readonly LifecycleEvent[]): EntryState {
    let state = before;
    events.forEach((event, index) => {
      this.#sql.insertEvent.run(rk, version + index + 1, event.type, event.at, encodeEventData(event));
      state = evolve(state, event);
    });
    return state;
  }

  #writeProjection(rk: number, version: number, state: EntryState): void {
    const values: unknown[] = [];
    pushProjection(values, state, version);
    values.push(rk);
    this.#sql.updateProjection.run(values);
  }

  #addCounters(delta: CounterDelta): void {
    if (delta.isZero) return;
    this.#sql.addCounters.run(
      delta.pending,
      delta.leased,
      delta.delivered,
      delta.dead,
      delta.evicted,
      delta.backlogBytes,
    );
  }

  /**
   * Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a reader never has to
   * upgrade to a writer mid-transaction (which fails at once instead of waiting out the busy timeout).
   * Storage failures surface as {@link StorageError}; Hubline errors pass through; either rolls back.
   */
  #write<T>(action: string, body: () => T): T {
    try {
      return this.#transaction.immediate(body) as T;
    } catch (error) {
      const wrapped = toStorageError(error, action, this.#options.path);
      if (wrapped instanceof StorageError) this.#options.logger.error(wrapped.message, { action });
      throw wrapped;
    }
  }

  /** A read whose storage failures surface as {@link StorageError}. */
  #read<T>(action: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw toStorageError(error, action, this.#options.path);
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StorageError(`Outbox "${this.#options.path}" is closed`, { code: 'OUTBOX_CLOSED' });
    }
  }
}

/** An entry being settled: where it is and the state its settlements so far lead to. */
interface Settling {
  readonly rk: number;
  readonly bytes: number;
  version: number;
  state: EntryState;
}

/**
 * Queues `events` for an entry's log (rk, seq, type, at, data per row, for `insertEvents`) and returns the
 * state they lead to, through core's `evolve`.
 */
function appendTo(
  log: unknown[],
  rk: number,
  version: number,
  before: EntryState,
  events: readonly LifecycleEvent[],
): EntryState {
  pushLog(log, rk, version, events);
  return events.reduce<EntryState>(evolve, before);
}

/** Queues `events` for an entry's log: rk, seq, type, at, data per row, for `insertEvents`. */
function pushLog(log: unknown[], rk: number, version: number, events: readonly LifecycleEvent[]): void {
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    log.push(rk, version + index + 1, event.type, event.at, encodeEventData(event));
  }
}

/** What one `settle` call has done so far, shared by its two paths. */
interface SettleAccumulator {
  readonly applied: string[];
  readonly lost: string[];
  readonly deadLettered: string[];
  readonly delta: CounterDelta;
  /** Log rows for `insertEvents`. */
  readonly log: unknown[];
}

/**
 * The lifecycle events a settlement adds to an entry in `state`, or `undefined` when core refuses them (the
 * lease is not `owner`'s any more, or the entry is already settled).
 */
function settleEvents(
  state: EntryState,
  owner: string,
  settlement: Settlement,
  at: number,
): LifecycleEvent[] | undefined {
  try {
    return decideSettle(state, toCoreSettlement(owner, settlement), at, attemptPolicyOf(settlement));
  } catch (error) {
    if (error instanceof LifecycleError) return undefined;
    throw error;
  }
}

/** Accounts for one applied settlement: counters, `applied`, and `deadLettered` when it ended dead. */
function countApplied(
  result: SettleAccumulator,
  id: string,
  before: EntryState,
  after: EntryState,
  bytes: number,
): void {
  result.delta.move(before.status, after.status, bytes);
  result.applied.push(id);
  if (after.status === 'dead') result.deadLettered.push(id);
}

/** No attempt limit: what every settlement but a failure with `maxAttempts` carries. */
const UNLIMITED_POLICY = { maxAttempts: UNLIMITED_ATTEMPTS };

/** The attempt limit a settlement carries (only a failure has one). */
function attemptPolicyOf(settlement: Settlement): { maxAttempts: number } {
  return settlement.type === 'failed' && settlement.maxAttempts !== undefined
    ? { maxAttempts: settlement.maxAttempts }
    : UNLIMITED_POLICY;
}

/** The engine's settlement, as core's lifecycle decision takes it. */
function toCoreSettlement(owner: string, settlement: Settlement): SettleCommand {
  switch (settlement.type) {
    case 'delivered':
      return { outcome: 'delivered', owner, alreadyExisted: settlement.alreadyExisted };
    case 'failed':
      return {
        outcome: 'failed',
        owner,
        reason: settlement.reason,
        ...(settlement.status === undefined ? {} : { status: settlement.status }),
        countsAsAttempt: settlement.countsAsAttempt,
        nextAttemptAt: settlement.nextAttemptAt,
      };
    case 'dead':
      return {
        outcome: 'dead',
        owner,
        category: settlement.category,
        message: settlement.message,
        ...(settlement.status === undefined ? {} : { status: settlement.status }),
      };
  }
}

function toEntry(row: EntryRow): OutboxEntry {
  return { id: row.id, event: JSON.parse(row.event) as TimelineEvent, ...rowToState(row) };
}

function recordToEntry(record: EntryRecord): OutboxEntry {
  return { id: record.id, event: JSON.parse(record.event) as TimelineEvent, ...recordToState(record) };
}

/**
 * Appends the projection columns of an entry to `out`, in the order the projection statements bind them (after
 * `rk` in bulk). Pushed in place rather than returned, since it runs for every settled event.
 */
function pushProjection(out: unknown[], state: EntryState, version: number): void {
  out.push(
    state.status,
    state.attempts,
    state.nextAttemptAt,
    state.leaseOwner,
    state.leaseUntil,
    state.lastError,
    state.updatedAt,
    version,
    dueAtOf(state),
    backlogAtOf(state),
  );
}
