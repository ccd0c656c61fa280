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
  decodeEvent,
  type Eviction,
  type HistoryRecord,
  type ListDeadOptions,
  MAX_DELAY_MS,
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
import type Database from 'better-sqlite3';
import { type Observable, Subject } from 'rxjs';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { EntryRow } from '../storage/projection.js';
import type { Outbox, OutboxBudgets } from '../types.js';
import { applyOutcomes } from './apply-outcomes.js';
import { SqliteBudgets } from './budgets.js';
import { claimDue } from './claim.js';
import { OutboxConnection } from './connection.js';
import { recordToEntry, toEntry } from './log-rows.js';
import { discardAccount, pruneFinished, rebuildProjections, requeueDead } from './maintenance.js';
import { insertEvents } from './record.js';
import { accountStats, accountsDue, totalStats } from './stats.js';

const NOTHING_SETTLED: SettleResult = Object.freeze({ applied: [], lost: [], deadLettered: [] });

/**
 * The {@link Outbox} on a SQLite connection. Each method checks its arguments and hands the work to the module
 * that owns it (`record.ts`, `claim.ts`, `apply-outcomes.ts`, `maintenance.ts`, `budgets.ts`), inside one
 * transaction.
 */
export class SqliteOutbox implements Outbox {
  readonly #connection: OutboxConnection;
  readonly #options: ResolvedOptions;
  readonly #newId: () => string;
  readonly #changes = new Subject<number>();
  readonly #evicted = new Subject<Eviction>();
  #closed = false;

  /** See {@link Outbox.changes$}. */
  readonly changes$: Observable<number> = this.#changes.asObservable();
  /** See {@link Outbox.evicted$}. */
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();
  /** See {@link Outbox.budgets}. */
  readonly budgets: OutboxBudgets;

  /**
   * @param db - a migrated connection; the outbox closes it
   * @param options - the checked options
   */
  constructor(db: Database.Database, options: ResolvedOptions) {
    this.#connection = new OutboxConnection(db, options);
    this.#options = options;
    this.#newId = createIdFactory({ clock: options.clock });
    this.budgets = new SqliteBudgets(this.#connection, () => this.#assertOpen());
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
    const { maxEventBytes, templates } = this.#options;
    const settings = { now, newId: this.#newId, maxEventBytes, templates };
    // Validate everything before the transaction: a bad event anywhere means nothing is written.
    const prepared = inputs.map((input, index) =>
      prepareEvent(input, settings, inputs.length > 1 ? index : undefined),
    );
    const evictions: Eviction[] = [];
    const inserted = this.#connection.write('record', () => {
      this.#connection.observeClock();
      return insertEvents(this.#connection, prepared, now, evictions);
    });
    for (const eviction of evictions) this.#evicted.next(eviction);
    if (inserted > 0) this.#changes.next(inserted);
    return prepared.map((entry) => entry.event.id);
  }

  /** See {@link Outbox.claim}. */
  claim(options: ClaimOptions): ClaimedEntry[] {
    this.#assertOpen();
    assertClaimOptions(options);
    const { limit, leaseMs, owner } = options;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const account = options.account ?? DEFAULT_ACCOUNT;
    return this.#connection.write('claim', () =>
      claimDue(
        this.#connection,
        { limit, maxBytes, leaseMs, owner, account },
        this.#connection.observeClock(),
      ),
    );
  }

  /** See {@link Outbox.settle}. */
  settle(owner: string, settlements: readonly Settlement[]): SettleResult {
    this.#assertOpen();
    assertSettlements(owner, settlements);
    if (settlements.length === 0) return NOTHING_SETTLED;
    return this.#connection.write('settle', () =>
      applyOutcomes(this.#connection, owner, settlements, this.#connection.observeClock(), settlementEvents),
    );
  }

  /** See {@link Outbox.release}. */
  release(owner: string, releases: readonly Release[]): SettleResult {
    this.#assertOpen();
    assertReleases(owner, releases);
    if (releases.length === 0) return NOTHING_SETTLED;
    const result = this.#connection.write('release', () =>
      applyOutcomes(this.#connection, owner, releases, this.#connection.observeClock(), releaseEvents),
    );
    const applied = new Set(result.applied);
    const dueNow = releases.filter((release) => applied.has(release.id) && !(release.delayMs! > 0)).length;
    if (dueNow > 0) this.#changes.next(dueNow);
    return result;
  }

  /** See {@link Outbox.nextDueIn}. */
  nextDueIn(account?: string): number | null {
    this.#assertOpen();
    assertAccount(account, 'nextDueIn');
    const { sql } = this.#connection;
    const now = this.#connection.clockForRead('nextDueIn');
    return this.#connection.read('nextDueIn', () => {
      const dueAt = (account === undefined ? sql.nextDue.get() : sql.nextDueOf.get(account)) as
        | number
        | undefined;
      if (dueAt === undefined) return null;
      if (dueAt <= now || this.#connection.owners.goneOwnerHoldsLease(now)) return 0;
      return Math.min(MAX_DELAY_MS, dueAt - now);
    });
  }

  /** See {@link Outbox.accountsDue}. */
  accountsDue(): AccountDue[] {
    this.#assertOpen();
    const now = this.#connection.clockForRead('accountsDue');
    return this.#connection.read('accountsDue', () => accountsDue(this.#connection, now));
  }

  /** See {@link Outbox.get}. */
  get(id: string): StoredEntry | undefined {
    this.#assertOpen();
    assertId(id, 'get');
    const { sql } = this.#connection;
    const row = this.#connection.read('get', () => sql.selectById.get(id) as EntryRow | undefined);
    return row === undefined ? undefined : toEntry(row);
  }

  /** See {@link Outbox.history}. */
  history(id: string): HistoryRecord[] {
    this.#assertOpen();
    assertId(id, 'history');
    const { cold } = this.#connection;
    return this.#connection.read('history', () =>
      cold
        .historyOf(id)
        .map((record) => ({ seq: record.seq, event: decodeEvent(record.type, record.at, record.data) })),
    );
  }

  /** See {@link Outbox.listDead}. */
  listDead(options: ListDeadOptions = {}): StoredEntry[] {
    this.#assertOpen();
    assertListDeadOptions(options);
    const { cold } = this.#connection;
    const limit = options.limit ?? 100;
    const filter = { account: options.account, category: options.category };
    return this.#connection.read('listDead', () => {
      const after = options.afterId === undefined ? 0 : (cold.rkOf(options.afterId) ?? 0);
      return cold.deadMatchingAfter(after, limit, filter).map(recordToEntry);
    });
  }

  /** See {@link Outbox.requeue}. */
  requeue(target: RequeueTarget, options: RequeueOptions = {}): number {
    this.#assertOpen();
    assertRequeue(target, options);
    const requeued = requeueDead(this.#connection, target, options);
    if (requeued > 0) this.#changes.next(requeued);
    return requeued;
  }

  /** See {@link Outbox.discard}. */
  discard(options: DiscardOptions): number {
    this.#assertOpen();
    assertDiscardOptions(options);
    const discarded = discardAccount(
      this.#connection,
      options.account,
      options.reason ?? 'account discarded',
    );
    if (discarded > 0)
      this.#options.logger.info('discarded an account', { account: options.account, discarded });
    return discarded;
  }

  /** See {@link Outbox.prune}. */
  prune(options: PruneOptions = {}): number {
    this.#assertOpen();
    assertPruneOptions(options);
    return pruneFinished(
      this.#connection,
      options.olderThanMs ?? PRUNE_DEFAULTS.olderThanMs,
      options.deadOlderThanMs,
    );
  }

  /** See {@link Outbox.stats}. */
  stats(account?: string): OutboxStats {
    this.#assertOpen();
    assertAccount(account, 'stats');
    const now = this.#options.clock();
    return this.#connection.read('stats', () =>
      account === undefined
        ? totalStats(this.#connection, now)
        : accountStats(this.#connection, account, now),
    );
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
      this.#changes.complete();
      this.#evicted.complete();
      this.#options.logger.debug('outbox closed', { path: this.#options.path });
    }
  }

  /** See {@link Outbox.close}: `using outbox = openOutbox(…)` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StorageError(`Outbox "${this.#options.path}" is closed`, { code: 'OUTBOX_CLOSED' });
    }
  }
}
