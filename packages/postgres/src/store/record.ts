import {
  IdConflictError,
  StorageError,
  type TemplateChecker,
  type TimelineEvent,
  type TimelineEventInput,
} from '@hubline/core';
import {
  backlogAtOf,
  decideRecord,
  dueAtOf,
  type Eviction,
  fold,
  hasOwnTimestamp,
  type PreparedEvent,
  prepareEvent,
  sameEventContent,
} from '@hubline/core/store';
import type { Runner } from '../storage/runner.js';
import type { ClockRow, StoreContext } from '../storage/store-context.js';
import { enforceCapacity, isCapped } from './capacity.js';

/** What recording needs besides the inputs: the record time, the id factory, the size limit and the templates. */
export interface RecordSettings {
  /** The record time, epoch ms. */
  readonly now: number;
  /** Makes the id of an input without one. */
  readonly newId: () => string;
  /** The largest event, in bytes. */
  readonly maxEventBytes: number;
  /** The app's templates. */
  readonly templates: TemplateChecker;
}

/** What one record call wrote. */
export interface Recorded {
  /** How many entries were new (the others were recorded before, with the same content). */
  readonly inserted: number;
  /** Entries evicted to make room. */
  readonly evictions: readonly Eviction[];
  /** The clock row the statement read, for the store's clock to check. */
  readonly clock: ClockRow;
}

/**
 * Validates and normalises every input, before anything is written, and folds repeated ids within the batch
 * into their first (the same content) or refuses them (other content).
 *
 * @param inputs - the events, as the app passed them (an array without holes)
 * @param settings - record time, id factory and size limit
 * @returns the events to insert, each id once, in input order, and the id of every input
 * @throws {@link ValidationError} naming `[index].field`; {@link IdConflictError} for an id repeated with other
 *   content
 */
export function prepareBatch(
  inputs: readonly TimelineEventInput[],
  settings: RecordSettings,
): { readonly unique: readonly PreparedEvent[]; readonly ids: readonly string[] } {
  const prepared = inputs.map((input, index) =>
    prepareEvent(input, settings, inputs.length > 1 ? index : undefined),
  );
  const unique = new Map<string, PreparedEvent>();
  for (const entry of prepared) {
    const first = unique.get(entry.event.id);
    if (first === undefined) unique.set(entry.event.id, entry);
    else assertSameContent(entry, first.json, first.account);
  }
  return { unique: [...unique.values()], ids: prepared.map((entry) => entry.event.id) };
}

/**
 * Whether a record call must be able to undo its writes after its first statement: a batch (a conflict found in
 * it after some rows went in), or a capped store (a capacity refusal after the inserts).
 *
 * @param context - the store's context
 * @param unique - the events to insert
 */
export function needsUndo(context: StoreContext, unique: readonly PreparedEvent[]): boolean {
  return unique.length > 1 || isCapped(context);
}

/**
 * Inserts the events with their `Recorded` events and counters, and notifies the engines, in one statement;
 * then refuses conflicting ids and applies the size cap. Runs wherever the caller put it: the store's own
 * transaction, the app's transaction (inside a savepoint when {@link needsUndo}), or alone for one event.
 *
 * @param context - the store's context
 * @param runner - where to run
 * @param unique - the events, validated
 * @param at - the record time
 * @param notifier - who notifies: this store's id when it emits the change itself, `''` to be woken too;
 *   `undefined` to send no notification (the store sends it later, with others: see `WakeUps`)
 * @throws {@link IdConflictError} for an id recorded before with other content
 * @throws {@link CapacityError} when the cap refuses the batch
 */
export async function insertEvents(
  context: StoreContext,
  runner: Runner,
  unique: readonly PreparedEvent[],
  at: number,
  notifier: string | undefined,
): Promise<Recorded> {
  const { sql } = context;
  const capped = isCapped(context);
  if (capped) await runner.rows(sql.capacityLock, [context.capacityLocks]);
  const accounts = unique.map((entry) => entry.account);
  // Every entry starts alike: its state after `Recorded`, the event its own row keeps (`recorded_bytes`).
  const state = fold(decideRecord(undefined, at, unique[0]!.bytes));
  const columns = [
    accounts,
    unique.map((entry) => entry.event.id),
    unique.map((entry) => entry.json),
    unique.map((entry) => entry.bytes),
  ];
  // One event goes as single values to the statement written for it, which PostgreSQL plans once.
  const one = unique.length === 1;
  const sentAt = performance.now();
  const rows = await runner.rows<{
    id: string | null;
    stored: string | null;
    storedAccount: string | null;
    highWater: number;
    serverNow: number;
  }>(one ? sql.recordOne : sql.record, [
    ...(one ? columns.map((column) => column[0]) : columns),
    at,
    state.status,
    state.attempts,
    state.nextAttemptAt,
    state.inDoubt,
    dueAtOf(state),
    backlogAtOf(state),
    notifier === undefined ? null : context.channel,
    `${notifier ?? ''}:`,
  ]);
  const receivedAt = performance.now();
  // The statement answers only for the ids it did not insert.
  const missed = new Map(rows.filter((row) => row.id !== null).map((row) => [row.id!, row]));
  const inserted = { ids: [] as string[], accounts: [] as string[] };
  const unseen: PreparedEvent[] = [];
  unique.forEach((entry, index) => {
    const row = missed.get(entry.event.id);
    if (row === undefined) {
      inserted.ids.push(entry.event.id);
      inserted.accounts.push(accounts[index]!);
    } else if (row.stored === null) unseen.push(entry);
    else assertSameContent(entry, row.stored, row.storedAccount!);
  });
  if (unseen.length > 0) await checkUnseen(context, runner, unseen);
  const evictions =
    capped && inserted.ids.length > 0 ? await enforceCapacity(context, runner, at, inserted) : [];
  const { highWater, serverNow } = rows[0]!;
  return { inserted: inserted.ids.length, evictions, clock: { highWater, serverNow, sentAt, receivedAt } };
}

/**
 * Compares the ids a concurrent recorder committed while this record's statement ran: its insert skipped them,
 * but its snapshot did not see them.
 */
async function checkUnseen(
  context: StoreContext,
  runner: Runner,
  unseen: readonly PreparedEvent[],
): Promise<void> {
  const rows = await runner.rows<{ id: string; account: string; event: string }>(context.sql.storedEvents, [
    unseen.map((entry) => entry.event.id),
  ]);
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const entry of unseen) {
    const row = stored.get(entry.event.id);
    if (row === undefined) {
      // Recorded and pruned by others within this statement: nothing to compare with.
      throw new StorageError(`Recording "${entry.event.id}" raced with a prune of it; record it again`);
    }
    assertSameContent(entry, row.event, row.account);
  }
}

/**
 * Throws {@link IdConflictError} unless `entry` carries the content already recorded under its id, in the same
 * account (an id is unique over every account).
 */
function assertSameContent(entry: PreparedEvent, storedJson: string, storedAccount: string): void {
  const stored = JSON.parse(storedJson) as TimelineEvent;
  if (
    storedAccount !== entry.account ||
    !sameEventContent(stored, entry.event, { ignoreTimestamp: !hasOwnTimestamp(entry.input) })
  ) {
    throw new IdConflictError(entry.event.id);
  }
}
