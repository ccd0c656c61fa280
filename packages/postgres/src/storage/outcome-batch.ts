import {
  backlogAtOf,
  CounterDelta,
  dueAtOf,
  type EntryState,
  type EntryStatus,
  encodeEventData,
  evolve,
  highestSteadyMark,
  type LifecycleEvent,
} from '@hubline/core/store';
import { type EntryRecord, recordToState } from './projection.js';
import type { Runner } from './runner.js';
import type { Statements } from './statements.js';
import { type ClockFields, type ClockRow, clockRowOf } from './store-context.js';

/** An entry being changed in a transaction: where it is and the state its events so far lead to. */
export interface TrackedEntry {
  /** Its row key. */
  readonly rk: number;
  /** Its id. */
  readonly id: string;
  /** Its account, whose counters its moves change. */
  readonly account: string;
  /** Its event JSON: replaced by an amendment. */
  event: string;
  /** Lifecycle events so far, this transaction's included. */
  version: number;
  /** Its state after this transaction's events so far. */
  state: EntryState;
  /** Its dead letter's category while dead. */
  category: string | null;
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
 * Counter changes a row per account, as `addCounters` binds them: the accounts sorted, then each delta's column.
 *
 * @param deltas - the changes of each account
 */
export function counterColumns(deltas: ReadonlyMap<string, CounterDelta>): unknown[] {
  const accounts = [...deltas.keys()].sort();
  const columns: number[][] = Array.from({ length: 6 }, () => []);
  for (const account of accounts) {
    const values = deltas.get(account)!.values();
    for (let index = 0; index < values.length; index++) columns[index]!.push(values[index]!);
  }
  return [accounts, ...columns];
}

/** What an entry was before a batch's events: what its counter changes and its version guard start from. */
interface EntryBefore {
  /** Its status. */
  readonly status: EntryStatus;
  /** Its size, bytes. */
  readonly bytes: number;
  /** Its version. */
  readonly version: number;
}

/**
 * The lifecycle events one transaction appends, to as many entries as it touches, written at its end by one
 * statement: the log rows, each changed entry's final projection, and the counter changes of each account. Every
 * state goes through core's `evolve`, so each projection stays the fold of its log.
 */
export class OutcomeBatch {
  readonly #log: LogColumns = { rk: [], seq: [], type: [], at: [], data: [] };
  readonly #changed = new Map<number, TrackedEntry>();
  readonly #deltas = new Map<string, CounterDelta>();
  /** The row keys of entries whose event an `Amended` event replaced: only theirs is sent back. */
  readonly #amended = new Set<number>();
  /** Each changed entry's status, size and version before this batch's events. */
  readonly #before = new Map<number, EntryBefore>();

  /**
   * An entry read in this transaction, ready to take events.
   *
   * @param record - its row, locked
   */
  static track(record: EntryRecord): TrackedEntry {
    return {
      rk: record.rk,
      id: record.id,
      account: record.account,
      event: record.event,
      version: record.version,
      state: recordToState(record),
      category: record.category,
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
   * @param amendedJson - the entry's new event JSON, when an `Amended` event replaces it (its size is in the event)
   * @returns the entry's new state
   */
  append(entry: TrackedEntry, events: readonly LifecycleEvent[], amendedJson?: string): EntryState {
    const before = entry.state;
    if (!this.#before.has(entry.rk))
      this.#before.set(entry.rk, { status: before.status, bytes: before.bytes, version: entry.version });
    for (const event of events) {
      entry.version += 1;
      entry.state = evolve(entry.state, event);
      if (event.type === 'DeadLettered') entry.category = event.category;
      this.#log.rk.push(entry.rk);
      this.#log.seq.push(entry.version);
      this.#log.type.push(event.type);
      this.#log.at.push(event.at);
      this.#log.data.push(encodeEventData(event));
    }
    if (entry.state.status !== 'dead') entry.category = null;
    if (amendedJson !== undefined) {
      entry.event = amendedJson;
      this.#amended.add(entry.rk);
    }
    let delta = this.#deltas.get(entry.account);
    if (delta === undefined) {
      delta = new CounterDelta();
      this.#deltas.set(entry.account, delta);
    }
    delta.move(before.status, entry.state.status, before.bytes, entry.state.bytes);
    this.#changed.set(entry.rk, entry);
    return entry.state;
  }

  /**
   * Writes everything appended, in one statement inside the caller's transaction.
   *
   * @param runner - the transaction's connection
   * @param sql - the store's statements
   */
  async write(runner: Runner, sql: Statements): Promise<void> {
    if (this.isEmpty) return;
    await runner.rows(sql.writeOutcomes, [
      ...this.#logColumns(),
      ...this.#projectionColumns(this.#entries()),
      ...counterColumns(this.#deltas),
    ]);
  }

  /**
   * Writes everything appended with `writeLeased`, in a statement of its own: each entry only if it is still at
   * the version it had before this batch's events, with its log rows and counter changes.
   *
   * @param runner - where to run (the pool: the statement commits alone)
   * @param sql - the store's statements
   * @param stampedAt - the time the batch's events are stamped with: nothing is written once the clock's mark
   *   shows the clock stepped back from it
   * @returns the row keys written, and the clock row the statement read
   */
  async writeLeased(
    runner: Runner,
    sql: Statements,
    stampedAt: number,
  ): Promise<{ written: Set<number>; clock: ClockRow }> {
    const entries = this.#entries();
    const deltas: unknown[][] = [[], [], [], [], [], [], []];
    const expected: number[] = [];
    for (const entry of entries) {
      const before = this.#before.get(entry.rk)!;
      const delta = new CounterDelta();
      delta.move(before.status, entry.state.status, before.bytes, entry.state.bytes);
      const values = [entry.account, ...delta.values()];
      for (let index = 0; index < values.length; index++) deltas[index]!.push(values[index]);
      expected.push(before.version);
    }
    const sentAt = performance.now();
    const [row] = await runner.rows<ClockFields & { written: number[] }>(sql.writeLeased, [
      ...this.#logColumns(),
      ...this.#projectionColumns(entries),
      expected,
      ...deltas,
      highestSteadyMark(stampedAt),
    ]);
    return { written: new Set(row!.written), clock: clockRowOf(row!, sentAt) };
  }

  /**
   * The changed entries in row-key order: the order their rows are written in, so that two writers of the same
   * entries never wait for each other in a cycle.
   */
  #entries(): TrackedEntry[] {
    return [...this.#changed.values()].sort((a, b) => a.rk - b.rk);
  }

  /** The log rows, a column each: `$1`…`$5` of both writes. */
  #logColumns(): unknown[][] {
    const { rk, seq, type, at, data } = this.#log;
    return [rk, seq, type, at, data];
  }

  /**
   * The projections of `entries`, a column each.
   *
   * @param entries - the changed entries, in row-key order
   */
  #projectionColumns(entries: readonly TrackedEntry[]): unknown[][] {
    const columns: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const { rk, version, state, category, event } of entries) {
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
        category,
        // An event not amended stays as stored: sending it back would cost its size twice per write.
        this.#amended.has(rk) ? event : null,
        state.bytes,
      ];
      for (let index = 0; index < row.length; index++) columns[index]!.push(row[index]);
    }
    return columns;
  }
}
