import {
  backlogAtOf,
  CounterDelta,
  dueAtOf,
  type EntryState,
  encodeEventData,
  evolve,
  type LifecycleEvent,
} from '@hubline/core/store';
import { type EntryRecord, recordToState } from './projection.js';
import type { Runner } from './runner.js';
import type { Statements } from './statements.js';

/** An entry being changed in a transaction: where it is and the state its events so far lead to. */
export interface TrackedEntry {
  /** Its row key. */
  readonly rk: number;
  /** Its id. */
  readonly id: string;
  /** Its size, for the byte counters. */
  readonly bytes: number;
  /** Lifecycle events so far, this transaction's included. */
  version: number;
  /** Its state after this transaction's events so far. */
  state: EntryState;
}

/** The lifecycle rows a transaction appends, a column each, as `writeOutcomes` binds them. */
interface LogColumns {
  /** Each row's entry. */
  readonly rk: number[];
  /** Each row's position in its entry's log. */
  readonly seq: number[];
  /** Each event's type. */
  readonly type: string[];
  /** Each event's time. */
  readonly at: number[];
  /** Each event's encoded data. */
  readonly data: string[];
}

/**
 * The lifecycle events one transaction appends, to as many entries as it touches, written at its end by one
 * statement: the log rows, each changed entry's final projection, and the counter changes. Every state goes
 * through core's `evolve`, so each projection stays the fold of its log.
 */
export class OutcomeBatch {
  readonly #log: LogColumns = { rk: [], seq: [], type: [], at: [], data: [] };
  readonly #changed = new Map<number, TrackedEntry>();
  readonly #delta = new CounterDelta();

  /**
   * An entry read in this transaction, ready to take events.
   *
   * @param record - its row, locked
   */
  static track(record: EntryRecord): TrackedEntry {
    return {
      rk: record.rk,
      id: record.id,
      bytes: record.bytes,
      version: record.version,
      state: recordToState(record),
    };
  }

  /** Whether nothing was appended. */
  get isEmpty(): boolean {
    return this.#changed.size === 0;
  }

  /**
   * Appends events to an entry, moving its state through core's `evolve`.
   *
   * @param entry - the entry; its `version` and `state` are updated
   * @param events - what happened, as core decided it
   * @returns the entry's new state
   */
  append(entry: TrackedEntry, events: readonly LifecycleEvent[]): EntryState {
    const before = entry.state;
    for (const event of events) {
      entry.version += 1;
      entry.state = evolve(entry.state, event);
      this.#log.rk.push(entry.rk);
      this.#log.seq.push(entry.version);
      this.#log.type.push(event.type);
      this.#log.at.push(event.at);
      this.#log.data.push(encodeEventData(event));
    }
    this.#delta.move(before.status, entry.state.status, entry.bytes);
    this.#changed.set(entry.rk, entry);
    return entry.state;
  }

  /**
   * Writes everything appended, in one statement inside the caller's transaction.
   *
   * @param runner - the transaction's connection
   * @param sql - the store's statements
   * @param account - the account whose counters change
   */
  async write(runner: Runner, sql: Statements, account: string): Promise<void> {
    if (this.isEmpty) return;
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    for (const { rk, version, state } of this.#changed.values()) {
      const row = [
        rk,
        state.status,
        state.attempts,
        state.nextAttemptAt,
        state.leaseOwner,
        state.leaseUntil,
        state.lastError,
        state.updatedAt,
        version,
        state.inDoubt,
        dueAtOf(state),
        backlogAtOf(state),
      ];
      for (let index = 0; index < row.length; index++) columns[index]!.push(row[index]);
    }
    const { rk, seq, type, at, data } = this.#log;
    await runner.rows(sql.writeOutcomes, [
      rk,
      seq,
      type,
      at,
      data,
      ...columns,
      account,
      ...this.#delta.values(),
    ]);
  }
}
