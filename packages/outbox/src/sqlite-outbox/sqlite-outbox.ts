import { createIdFactory, StorageError, type TimelineEventInput, ValidationError } from '@hubline/core';
import type Database from 'better-sqlite3';
import { type Observable, Subject } from 'rxjs';
import { DEFAULT_RETENTION_MS } from '../options/defaults.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { decodeEvent } from '../storage/lifecycle-codec.js';
import type { EntryRow } from '../storage/projection.js';
import type {
  ClaimedEntry,
  ClaimOptions,
  Eviction,
  HistoryRecord,
  Outbox,
  OutboxEntry,
  OutboxStats,
  Settlement,
  SettleResult,
} from '../types.js';
import { assertInputArray, assertSettlements } from '../validation/validate-arguments.js';
import { claimDue } from './claim.js';
import { OutboxConnection } from './connection.js';
import { recordToEntry, toEntry } from './log-rows.js';
import { pruneFinished, rebuildProjections, requeueDead } from './maintenance.js';
import { insertEvents, prepareEvent } from './record.js';
import { applySettlements } from './settle.js';

/**
 * The {@link Outbox} on a SQLite connection. Each method checks its arguments and hands the work to the module
 * that owns it (`record.ts`, `claim.ts`, `settle.ts`, `maintenance.ts`), inside one transaction.
 */
export class SqliteOutbox implements Outbox {
  readonly #connection: OutboxConnection;
  readonly #options: ResolvedOptions;
  readonly #newId: () => string;
  readonly #recorded = new Subject<number>();
  readonly #evicted = new Subject<Eviction>();
  #closed = false;

  /** See {@link Outbox.recorded$}. */
  readonly recorded$: Observable<number> = this.#recorded.asObservable();
  /** See {@link Outbox.evicted$}. */
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();

  /**
   * @param db - a migrated connection; the outbox closes it
   * @param options - the checked options
   */
  constructor(db: Database.Database, options: ResolvedOptions) {
    this.#connection = new OutboxConnection(db, options);
    this.#options = options;
    this.#newId = createIdFactory({ clock: options.clock });
  }

  /** See {@link Outbox.record}. */
  record(input: TimelineEventInput): string {
    const ids = this.recordMany([input]);
    return ids[0]!;
  }

  /** See {@link Outbox.recordMany}. */
  recordMany(inputs: readonly TimelineEventInput[]): string[] {
    this.#assertOpen();
    assertInputArray(inputs);
    if (inputs.length === 0) return [];
    const now = this.#options.clock();
    const settings = { now, newId: this.#newId, maxEventBytes: this.#options.maxEventBytes };
    // Validate everything before the transaction: a bad event anywhere means nothing is written.
    const prepared = inputs.map((input, index) =>
      prepareEvent(input, settings, inputs.length > 1 ? index : undefined),
    );
    const evictions: Eviction[] = [];
    const inserted = this.#connection.write('record', () =>
      insertEvents(this.#connection, prepared, now, evictions),
    );
    for (const eviction of evictions) this.#evicted.next(eviction);
    if (inserted > 0) this.#recorded.next(inserted);
    return prepared.map((entry) => entry.event.id);
  }

  /** See {@link Outbox.claim}. */
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
    return this.#connection.write('claim', () =>
      claimDue(this.#connection, { limit, maxBytes, leaseMs, owner }, this.#options.clock()),
    );
  }

  /** See {@link Outbox.settle}. */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult {
    this.#assertOpen();
    // The whole call's shape before any of it is applied: one bad settlement refuses the call, as core's
    // validation refuses a recordMany.
    assertSettlements(owner, settlements);
    if (settlements.length === 0) return { applied: [], lost: [], deadLettered: [] };
    return this.#connection.write('settle', () =>
      applySettlements(this.#connection, owner, settlements, this.#options.clock()),
    );
  }

  /** See {@link Outbox.nextDueAt}. */
  nextDueAt(): number | null {
    this.#assertOpen();
    const { sql } = this.#connection;
    return this.#connection.read('nextDueAt', () => (sql.nextDue.get() as number | undefined) ?? null);
  }

  /** See {@link Outbox.get}. */
  get(id: string): OutboxEntry | undefined {
    this.#assertOpen();
    const { sql } = this.#connection;
    const row = this.#connection.read('get', () => sql.selectById.get(id) as EntryRow | undefined);
    return row === undefined ? undefined : toEntry(row);
  }

  /** See {@link Outbox.history}. */
  history(id: string): HistoryRecord[] {
    this.#assertOpen();
    const { cold } = this.#connection;
    return this.#connection.read('history', () =>
      cold
        .historyOf(id)
        .map((record) => ({ seq: record.seq, event: decodeEvent(record.type, record.at, record.data) })),
    );
  }

  /** See {@link Outbox.listDead}. */
  listDead(options: { limit?: number; afterId?: string } = {}): OutboxEntry[] {
    this.#assertOpen();
    const { cold } = this.#connection;
    const limit = options.limit ?? 100;
    return this.#connection.read('listDead', () => {
      const after = options.afterId === undefined ? 0 : (cold.rkOf(options.afterId) ?? 0);
      return cold.deadAfter(after, limit).map(recordToEntry);
    });
  }

  /** See {@link Outbox.requeue}. */
  requeue(ids: readonly string[] | 'all-dead'): number {
    this.#assertOpen();
    const requeued = requeueDead(this.#connection, ids);
    if (requeued > 0) this.#recorded.next(requeued);
    return requeued;
  }

  /** See {@link Outbox.prune}. */
  prune(options: { olderThanMs?: number } = {}): number {
    this.#assertOpen();
    return pruneFinished(this.#connection, options.olderThanMs ?? DEFAULT_RETENTION_MS);
  }

  /** See {@link Outbox.stats}. */
  stats(): OutboxStats {
    this.#assertOpen();
    const { sql } = this.#connection;
    return this.#connection.read('stats', () => {
      const now = this.#options.clock();
      const row = sql.readCounters.get() as {
        pending: number;
        leased: number;
        delivered: number;
        dead: number;
        evicted: number;
        backlog_bytes: number;
      };
      const oldest = sql.oldestBacklog.get() as number | undefined;
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

  /** See {@link Outbox.rebuildProjection}. */
  rebuildProjection(): void {
    this.#assertOpen();
    // One transaction on purpose, holding the write lock throughout: see the TSDoc in types.ts.
    rebuildProjections(this.#connection);
  }

  /** See {@link Outbox.close}. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.leases.clear();
    try {
      this.#connection.db.close();
    } finally {
      this.#recorded.complete();
      this.#evicted.complete();
      this.#options.logger.debug('outbox closed', { path: this.#options.path });
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StorageError(`Outbox "${this.#options.path}" is closed`, { code: 'OUTBOX_CLOSED' });
    }
  }
}
