import { decideClockStep, readClock } from '@hubline/core/store';
import { CHUNK } from '../storage/chunk.js';
import { OutcomeBatch } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { ClockRow, Opening, StoreContext, StoreTransaction } from '../storage/store-context.js';
import { ServerClock } from './server-clock.js';

/** How often a transaction begins again after absorbing a step back it found at its start. */
const MAX_RESTARTS = 2;

/**
 * The store's clock: the injected one, or the server's (see {@link ServerClock}), watched for steps back against
 * the high-water mark every store on the schema keeps in the `clock` row.
 *
 * Every statement that stamps or compares a time reads the row along (transactions with their `BEGIN`), so
 * watching costs no round trip. A clock that moved on raises the stored mark, at most once a second, by an
 * `UPDATE` of its own so that no transaction holds the row. A step back is absorbed once, in a transaction
 * holding the row: whichever store takes it first moves every wait (pending retries, leases, budget pauses) back
 * by the step and lowers the mark, and the others find nothing left to do. A transaction that finds a step at
 * its start has it absorbed and begins again; a single statement is run again when its answer compared times.
 */
export class StoreClock {
  readonly #context: StoreContext;
  readonly #server: ServerClock | undefined;
  /** The reading, whole epoch ms (the injected clock is checked on every reading). */
  readonly now: () => number;

  /** @param context - the store's context */
  constructor(context: StoreContext) {
    this.#context = context;
    const injected = context.options.clock;
    this.#server = injected === undefined ? new ServerClock() : undefined;
    this.now = injected ?? this.#server!.now;
  }

  /** Reads the server's clock at open (when it is the store's). */
  async start(): Promise<void> {
    await this.#readRow('open');
  }

  /**
   * A reading for a call that reads the clock row with its own statement: the server's clock is synced first
   * when it was last read more than 10 s ago.
   *
   * @param action - the public call, for the error message
   */
  async read(action: string): Promise<number> {
    if (this.#server?.stale === true) await this.#readRow(action);
    return this.now();
  }

  /**
   * Takes in the clock row a statement read along with its work at `now`: syncs the server's clock, raises the
   * stored mark when the clock moved on, absorbs a step back.
   *
   * @param action - the public call, for the error message
   * @param row - the clock row the statement read
   * @param now - the time the statement was given
   * @returns `true` when a step back was absorbed: an answer that compared times should be asked again
   */
  async check(action: string, row: ClockRow, now: number): Promise<boolean> {
    this.#server?.syncTo(row.serverNow, row.sentAt, row.receivedAt);
    const reading = readClock(row.highWater, now);
    if (reading.kind === 'steady') return false;
    if (reading.kind === 'advanced') {
      await this.#context.query(action, this.#context.sql.advanceClock, [now]);
      return false;
    }
    await this.#absorb(action, now);
    return true;
  }

  /**
   * Runs `body` in a store transaction at the time it begins, after absorbing any step back found then.
   *
   * @param action - the public call, for the error message
   * @param body - the work, given the transaction and the time
   * @param opening - the transaction's first statement at a time, run with `BEGIN` in one round trip: the time
   *   is then read before `BEGIN` is sent, and is the one `body` is given
   */
  async transaction<T>(
    action: string,
    body: (tx: StoreTransaction, now: number) => Promise<T>,
    opening?: (now: number) => Opening,
  ): Promise<T> {
    for (let restarts = 0; ; restarts++) {
      const early = opening === undefined ? undefined : await this.read(action);
      const outcome = await this.#context.transaction(
        action,
        async (tx) => {
          const { serverNow, sentAt, receivedAt, highWater } = tx.clock;
          this.#server?.syncTo(serverNow, sentAt, receivedAt);
          const now = early ?? this.now();
          const reading = readClock(highWater, now);
          if (reading.kind === 'stepped-back' && restarts < MAX_RESTARTS)
            return { now, restart: true } as const;
          return {
            now,
            restart: false,
            advanced: reading.kind === 'advanced',
            value: await body(tx, now),
          } as const;
        },
        early === undefined ? undefined : opening?.(early),
      );
      if (outcome.restart) {
        await this.#absorb(action, outcome.now);
        continue;
      }
      if (outcome.advanced) await this.#context.query(action, this.#context.sql.advanceClock, [outcome.now]);
      return outcome.value;
    }
  }

  /** Reads the clock row on its own, syncing the server's clock from it. */
  async #readRow(action: string): Promise<void> {
    const sentAt = performance.now();
    const [row] = await this.#context.query<{ highWater: number; serverNow: number }>(
      action,
      this.#context.sql.readClock,
      [],
    );
    if (row === undefined) throw this.#context.failure(new Error('the clock row is missing'), action);
    this.#server?.syncTo(row.serverNow, sentAt, performance.now());
  }

  /** Moves every wait back by the step the stored mark shows at `now`, unless another store did it first. */
  async #absorb(action: string, now: number): Promise<void> {
    const { sql } = this.#context;
    const result = await this.#context.transaction(action, async ({ runner }) => {
      const [row] = await runner.rows<{ highWater: number }>(sql.lockClock, []);
      const stored = readClock(row?.highWater ?? 0, now);
      // Another store absorbed it already and lowered the mark.
      if (stored.kind !== 'stepped-back') return undefined;
      const { stepMs } = stored;
      let moved = 0;
      for (let after = 0; ; ) {
        const rows = await runner.rows<EntryRecord>(sql.waitingAfter, [now, after, CHUNK]);
        const batch = new OutcomeBatch();
        for (const record of rows) {
          const entry = OutcomeBatch.track(record);
          batch.append(entry, decideClockStep(entry.state, now, stepMs));
        }
        await batch.write(runner, sql);
        moved += rows.length;
        if (rows.length < CHUNK) break;
        after = rows.at(-1)!.rk;
      }
      await runner.rows(sql.shiftBudgets, [stepMs, now]);
      await runner.rows(sql.shiftSlots, [stepMs, now]);
      await runner.rows(sql.setClock, [now]);
      return { stepMs, moved };
    });
    if (result !== undefined) {
      this.#context.options.logger.warn('the clock stepped back; waits moved back as much', {
        stepMs: result.stepMs,
        entries: result.moved,
      });
    }
  }
}
