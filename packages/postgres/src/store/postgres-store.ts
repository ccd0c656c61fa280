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
  type Eviction,
  type HistoryRecord,
  type ListDeadOptions,
  MAX_DELAY_MS,
  type OutboxStats,
  type PruneOptions,
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
import { StoreClock } from '../clock/store-clock.js';
import { StoreSession } from '../session/store-session.js';
import { type EntryRecord, toStored } from '../storage/projection.js';
import { type ClockFields, clockRowOf, type StoreContext } from '../storage/store-context.js';
import type { AppTransaction, PostgresOutbox } from '../types.js';
import { StoredBudgets } from './budgets.js';
import { ChangeFeed } from './change-feed.js';
import { claimDue, dueOpening } from './claim.js';
import { historyRecords } from './history.js';
import { LeaseBook, mergeSettled, settleLeased } from './lease-book.js';
import { discard, prune, requeue } from './maintenance.js';
import { applyOutcomes, outcomesOpening } from './outcomes.js';
import { recordIn } from './record-in.js';
import { WakeUps } from './wake-ups.js';

const NOTHING_SETTLED: SettleResult = Object.freeze({ applied: [], lost: [], deadLettered: [] });

/** How often, by the store's clock, a claim looks for lease owners whose session is gone. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * The {@link PostgresOutbox}. Each method checks its arguments and hands the work to the module that owns it
 * (`record-in.ts`, `claim.ts`, `outcomes.ts`, `lease-book.ts`, `maintenance.ts`, `budgets.ts`).
 */
export class PostgresStore implements PostgresOutbox {
  readonly #context: StoreContext;
  readonly #ownsPool: boolean;
  readonly #clock: StoreClock;
  readonly #session: StoreSession;
  readonly #feed: ChangeFeed;
  /** This store's own records' notifications to the other stores, coalesced. */
  readonly #wakeUps: WakeUps;
  readonly #evicted = new Subject<Eviction>();
  readonly #book = new LeaseBook();
  readonly #newId: () => string;
  #sweptAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  /** See {@link PostgresOutbox.changes$}. */
  readonly changes$: Observable<number>;
  /** See {@link PostgresOutbox.evicted$}. */
  readonly evicted$: Observable<Eviction> = this.#evicted.asObservable();
  /** See {@link PostgresOutbox.budgets}. */
  readonly budgets: StoredBudgets;
  /** See {@link PostgresOutbox.schema}. */
  readonly schema: string;

  /**
   * @param context - the store's context, on a migrated schema
   * @param ownsPool - whether `close()` ends the pool
   */
  constructor(context: StoreContext, ownsPool: boolean) {
    this.#context = context;
    this.#ownsPool = ownsPool;
    this.schema = context.options.schema;
    this.#clock = new StoreClock(context);
    this.#feed = new ChangeFeed(context.instanceId);
    this.#wakeUps = new WakeUps((count) => this.#wakeOthers(count));
    this.changes$ = this.#feed.changes$;
    this.#session = new StoreSession(context, (payload) => this.#feed.notified(payload));
    this.#newId = createIdFactory({ clock: this.#clock.now });
    this.budgets = new StoredBudgets(context, this.#clock, () => this.#assertOpen());
  }

  /** Reads the clock and opens the session (listening for other stores' changes). */
  async start(): Promise<void> {
    await this.#clock.start();
    await this.#session.connection('open');
  }

  /** See {@link PostgresOutbox.record}. */
  async record(...args: [TimelineEventInput] | [AppTransaction, TimelineEventInput]): Promise<string> {
    const ids =
      args.length === 2 ? await this.recordMany(args[0], [args[1]]) : await this.recordMany([args[0]]);
    return ids[0]!;
  }

  /** See {@link PostgresOutbox.recordMany}. */
  async recordMany(
    ...args: [readonly TimelineEventInput[]] | [AppTransaction, readonly TimelineEventInput[]]
  ): Promise<string[]> {
    this.#assertOpen();
    const inApp = args.length === 2;
    const inputs = inApp ? args[1] : args[0];
    assertInputArray(inputs);
    if (inputs.length === 0) return [];
    const now = await this.#clock.read('record');
    const { maxEventBytes, templates } = this.#context.options;
    const settings = { now, newId: this.#newId, maxEventBytes, templates };
    const notifies = inApp || this.#wakeUps.takeTurn();
    const { ids, recorded } = await recordIn(
      this.#context,
      inApp ? { tx: args[0] } : 'own',
      inputs,
      settings,
      notifies,
    );
    try {
      // A step back seen by the record is absorbed now; the new entries, due at their record time, wait for nothing.
      await this.#clock.check('record', recorded.clock, now);
    } finally {
      // Committed whatever the clock check found: said and woken for all the same.
      for (const eviction of recorded.evictions) this.#evicted.next(eviction);
      // The app's record is notified when the app commits, and emitted then (by this store too).
      if (!inApp) this.#feed.committed(recorded.inserted);
      if (!notifies) this.#wakeUps.defer(recorded.inserted);
    }
    return [...ids];
  }

  /** See {@link PostgresOutbox.claim}. */
  async claim(options: ClaimOptions): Promise<ClaimedEntry[]> {
    this.#assertOpen();
    assertClaimOptions(options);
    const { limit, leaseMs, owner } = options;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const account = options.account ?? DEFAULT_ACCOUNT;
    const own = await this.#session.hold(owner, this.#clock.now());
    const claim = { limit, maxBytes, leaseMs, owner, account };
    const sweep = Math.abs(this.#clock.now() - this.#sweptAt) >= SWEEP_INTERVAL_MS;
    // Without a takeover to run first, the read of due entries goes with BEGIN.
    const opening = sweep || own ? undefined : (at: number) => dueOpening(this.#context, claim, at);
    const { claimed, leased } = await this.#clock.transaction(
      'claim',
      (tx, at) => {
        if (sweep) this.#sweptAt = at;
        return claimDue(this.#context, tx, claim, at, { sweep, own });
      },
      opening,
    );
    this.#book.hold(owner, leased);
    return claimed;
  }

  /** See {@link PostgresOutbox.settle}. */
  async settle(owner: string, settlements: readonly Settlement[]): Promise<SettleResult> {
    this.#assertOpen();
    assertSettlements(owner, settlements);
    if (settlements.length === 0) return NOTHING_SETTLED;
    const ids = settlements.map((settlement) => settlement.id);
    // Entries this store leased settle in one statement; any other settle reads them under a lock.
    const leased = this.#book.take(owner, ids);
    if (leased === undefined) return this.#settleReading(owner, settlements);
    const outcomes = await settleLeased(this.#context, this.#clock, owner, settlements, leased);
    const unwritten = settlements.filter((_, index) => outcomes[index] === 'unwritten');
    if (unwritten.length === 0) return mergeSettled(settlements, outcomes, NOTHING_SETTLED);
    return mergeSettled(settlements, outcomes, await this.#settleReading(owner, unwritten));
  }

  /** Settles by reading the entries under a lock: the entries this store did not lease, or moved on since. */
  #settleReading(owner: string, settlements: readonly Settlement[]): Promise<SettleResult> {
    return this.#clock.transaction(
      'settle',
      (tx, at) => applyOutcomes(this.#context, tx, owner, settlements, at, settlementEvents, true),
      () => outcomesOpening(this.#context, settlements),
    );
  }

  /** See {@link PostgresOutbox.release}. */
  async release(owner: string, releases: readonly Release[]): Promise<SettleResult> {
    this.#assertOpen();
    assertReleases(owner, releases);
    if (releases.length === 0) return NOTHING_SETTLED;
    this.#book.forget(releases.map((release) => release.id));
    const context = this.#context;
    const { result, dueNow } = await this.#clock.transaction('release', async (tx, at) => {
      const result = await applyOutcomes(context, tx, owner, releases, at, releaseEvents, false);
      const applied = new Set(result.applied);
      const dueNow = releases.filter((release) => applied.has(release.id) && !(release.delayMs! > 0)).length;
      // Sent with the commit: the other stores' engines hear of the entries due again.
      if (dueNow > 0)
        await tx.runner.rows(context.sql.notify, [context.channel, `${context.instanceId}:${dueNow}`]);
      return { result, dueNow };
    });
    this.#feed.committed(dueNow);
    return result;
  }

  /** See {@link PostgresOutbox.nextDueIn}. */
  async nextDueIn(account?: string): Promise<number | null> {
    this.#assertOpen();
    assertAccount(account, 'nextDueIn');
    // A broken session is replaced here too, so that an idle engine keeps hearing wake-ups.
    await this.#session.connection('nextDueIn');
    if (account === undefined) return (await this.#accountsDue())[0]?.dueIn ?? null;
    const { sql, ownerLocks } = this.#context;
    for (;;) {
      const now = await this.#clock.read('nextDueIn');
      const sentAt = performance.now();
      const [row] = await this.#context.query<ClockFields & { dueAt: number | null; goneOwner: boolean }>(
        'nextDueIn',
        sql.nextDue,
        [account, now, ownerLocks],
      );
      if (row === undefined) return null;
      // A step back was absorbed: the due time read before it is stretched; read it again.
      if (await this.#clock.check('nextDueIn', clockRowOf(row, sentAt), now)) continue;
      if (row.dueAt === null) return null;
      return this.#dueIn(row.dueAt, row.goneOwner, now);
    }
  }

  /** See {@link PostgresOutbox.accountsDue}. */
  async accountsDue(): Promise<AccountDue[]> {
    this.#assertOpen();
    return this.#accountsDue();
  }

  async #accountsDue(): Promise<AccountDue[]> {
    const { sql, ownerLocks } = this.#context;
    for (;;) {
      const now = await this.#clock.read('accountsDue');
      const sentAt = performance.now();
      const rows = await this.#context.query<
        ClockFields & { account: string | null; dueAt: number | null; goneOwner: boolean }
      >('accountsDue', sql.accountsDue, [ownerLocks]);
      const first = rows[0];
      if (first === undefined) return [];
      if (await this.#clock.check('accountsDue', clockRowOf(first, sentAt), now)) continue;
      const due: AccountDue[] = [];
      for (const row of rows) {
        if (row.account === null || row.dueAt === null) continue;
        due.push({ account: row.account, dueIn: this.#dueIn(row.dueAt, row.goneOwner, now) });
      }
      return due.sort((a, b) => a.dueIn - b.dueIn || (a.account < b.account ? -1 : 1));
    }
  }

  /** Ms until `dueAt`, 0 when an owner whose session is gone holds a lease (the next claim takes it over). */
  #dueIn(dueAt: number, goneOwner: boolean, now: number): number {
    if (goneOwner) {
      this.#sweptAt = Number.NEGATIVE_INFINITY;
      return 0;
    }
    return dueAt <= now ? 0 : Math.min(MAX_DELAY_MS, dueAt - now);
  }

  /** See {@link PostgresOutbox.get}. */
  async get(id: string): Promise<StoredEntry | undefined> {
    this.#assertOpen();
    assertId(id, 'get');
    const [record] = await this.#context.query<EntryRecord>('get', this.#context.sql.selectById, [id]);
    return record === undefined ? undefined : toStored(record);
  }

  /** See {@link PostgresOutbox.history}. */
  async history(id: string): Promise<HistoryRecord[]> {
    this.#assertOpen();
    assertId(id, 'history');
    const { cold, db } = this.#context;
    try {
      return historyRecords(await cold.historyOf(db, id));
    } catch (error) {
      throw this.#context.failure(error, 'history');
    }
  }

  /** See {@link PostgresOutbox.listDead}. */
  async listDead(options: ListDeadOptions = {}): Promise<StoredEntry[]> {
    this.#assertOpen();
    assertListDeadOptions(options);
    const { cold, db } = this.#context;
    const { account, category, afterId, limit = 100 } = options;
    try {
      const after = await cold.rkOf(db, afterId);
      return (await cold.deadAfter(db, { account, category }, after, limit)).map(toStored);
    } catch (error) {
      throw this.#context.failure(error, 'listDead');
    }
  }

  /** See {@link PostgresOutbox.requeue}. */
  async requeue(target: RequeueTarget, options: RequeueOptions = {}): Promise<number> {
    this.#assertOpen();
    assertRequeue(target, options);
    const requeued = await requeue(this.#context, this.#clock, target, options);
    this.#feed.committed(requeued);
    return requeued;
  }

  /** See {@link PostgresOutbox.discard}. */
  async discard(options: DiscardOptions): Promise<number> {
    this.#assertOpen();
    assertDiscardOptions(options);
    return discard(this.#context, this.#clock, options, (eviction) => this.#evicted.next(eviction));
  }

  /** See {@link PostgresOutbox.prune}. */
  async prune(options: PruneOptions = {}): Promise<number> {
    this.#assertOpen();
    assertPruneOptions(options);
    return prune(this.#context, this.#clock, options);
  }

  /** See {@link PostgresOutbox.stats}. */
  async stats(account?: string): Promise<OutboxStats> {
    this.#assertOpen();
    assertAccount(account, 'stats');
    const now = await this.#clock.read('stats');
    const { sql } = this.#context;
    const [row] = await this.#context.query<{
      pending: number;
      leased: number;
      delivered: number;
      dead: number;
      evicted: number;
      backlogBytes: number;
      oldest: number | null;
    }>('stats', account === undefined ? sql.statsAll : sql.stats, account === undefined ? [] : [account]);
    return {
      pending: row?.pending ?? 0,
      inFlight: row?.leased ?? 0,
      delivered: row?.delivered ?? 0,
      dead: row?.dead ?? 0,
      evicted: row?.evicted ?? 0,
      oldestPendingAgeMs: row?.oldest == null ? 0 : Math.max(0, now - row.oldest),
      backlogBytes: row?.backlogBytes ?? 0,
    };
  }

  /** See {@link PostgresOutbox.close}. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#wakeUps.close();
      await this.#session.close();
      if (this.#ownsPool) await this.#context.pool.end();
    } finally {
      this.#feed.complete();
      this.#evicted.complete();
      this.#context.options.logger.debug('postgres outbox closed', {
        target: this.#context.target.description,
      });
    }
  }

  /** See {@link PostgresOutbox.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Tells the other stores on the schema that `count` entries were recorded; logs, never throws. */
  async #wakeOthers(count: number): Promise<void> {
    const context = this.#context;
    try {
      await context.query('record', context.sql.notify, [context.channel, `${context.instanceId}:${count}`]);
    } catch {
      // `query` logged the storage failure and its cause; this says what it means for the entries.
      context.options.logger.warn(
        'could not wake the other stores after recording; their next poll finds the entries',
        {
          count,
        },
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StorageError(`The outbox on ${this.#context.target.description} is closed`, {
        code: 'OUTBOX_CLOSED',
      });
    }
  }
}
