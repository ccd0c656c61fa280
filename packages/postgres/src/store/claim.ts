import {
  type ClaimedEntry,
  type ClaimOptions,
  decideClaim,
  decideExpire,
  StoredClaimedEntry,
} from '@hubline/core/store';
import { OutcomeBatch, type TrackedEntry } from '../storage/outcome-batch.js';
import type { EntryRecord } from '../storage/projection.js';
import type { Runner } from '../storage/runner.js';
import type { Opening, StoreContext, StoreTransaction } from '../storage/store-context.js';

/**
 * The claim's read of due entries as a transaction's {@link Opening}, sent with `BEGIN` (when no takeover has to
 * run before it).
 *
 * @param context - the store's context
 * @param options - the claim's options
 * @param at - the claim time
 */
export function dueOpening(context: StoreContext, options: Required<ClaimOptions>, at: number): Opening {
  return { statement: context.sql.selectDue, values: [options.account, at, options.limit] };
}

/**
 * Leases the oldest due entries of `options.account` to `options.owner`, in one transaction: `SELECT … FOR UPDATE SKIP LOCKED` walks
 * the claim index in due order, so concurrent claims each take different entries and never wait for each other;
 * core's `decideClaim` decides each lease (a lapsed one is expired first), and one statement writes the batch.
 *
 * @param context - the store's context
 * @param tx - the claim's transaction: begun with {@link dueOpening} unless a takeover runs first; its write
 *   commits it
 * @param options - limit, byte budget (`Infinity` for none), lease length, owner and account, checked already
 * @param at - the claim time
 * @param takeOver - what to take over first: the leases of owners whose session is gone (`sweep`), and those
 *   still held under the claiming owner's own name when its store has just taken its lock (`own`: a dead holder's)
 * @returns the leased entries, oldest due first, and each as the claim left it (for the store's lease book)
 */
export async function claimDue(
  context: StoreContext,
  tx: StoreTransaction,
  options: Required<ClaimOptions>,
  at: number,
  takeOver: { readonly sweep: boolean; readonly own: boolean },
): Promise<{ readonly claimed: ClaimedEntry[]; readonly leased: TrackedEntry[] }> {
  const { sql } = context;
  const { runner } = tx;
  const { limit, maxBytes, leaseMs, owner, account } = options;
  if (takeOver.sweep || takeOver.own) await takeOverGoneOwners(context, runner, owner, at, takeOver);
  const rows =
    (tx.opened as EntryRecord[] | undefined) ??
    (await runner.rows<EntryRecord>(sql.selectDue, [account, at, limit]));
  const batch = new OutcomeBatch();
  const claimed: ClaimedEntry[] = [];
  const leased: TrackedEntry[] = [];
  const command = { at, owner, leaseMs };
  let bytes = 0;
  for (const record of rows) {
    if (claimed.length > 0 && bytes + record.bytes > maxBytes) break;
    bytes += record.bytes;
    const entry = OutcomeBatch.track(record);
    const events = decideClaim(entry.state, command);
    if (events.length > 1)
      context.options.logger.debug('lease expired', { id: entry.id, owner: record.leaseOwner });
    const state = batch.append(entry, events);
    leased.push(entry);
    // The event is parsed only if the engine reads it: a request body is built from `json`.
    claimed.push(
      new StoredClaimedEntry(
        record.id,
        record.event,
        state.attempts,
        record.bytes,
        state.recordedAt,
        state.leaseUntil!,
        state.inDoubt,
        account,
      ),
    );
  }
  await batch.write(tx.closing, sql);
  return { claimed, leased };
}

/**
 * Ends at once the leases of owners whose store session is gone (`LeaseExpired` with `ownerGone`), inside the
 * claim's transaction and before its query, so that the claim can take those entries; forgets those owners.
 * An owner is gone when no session holds its advisory lock: the query takes each free lock until commit, so a
 * store starting again under the same owner name waits for the takeover to finish. The claiming owner's own
 * leases are taken over too when its store has just taken its lock: they are a dead holder's. Leases of every
 * account are taken over, whichever account the claim is for: the gone owner is forgotten afterwards.
 */
async function takeOverGoneOwners(
  context: StoreContext,
  runner: Runner,
  owner: string,
  at: number,
  takeOver: { readonly sweep: boolean; readonly own: boolean },
): Promise<void> {
  const { sql } = context;
  const gone = takeOver.sweep
    ? (await runner.rows<{ owner: string }>(sql.goneOwners, [context.ownerLocks, owner])).map(
        (row) => row.owner,
      )
    : [];
  if (gone.length === 0 && !takeOver.own) return;
  const holders = takeOver.own ? [...gone, owner] : gone;
  const batch = new OutcomeBatch();
  const leases = await runner.rows<EntryRecord>(sql.leasesOf, [holders]);
  for (const record of leases) {
    const entry = OutcomeBatch.track(record);
    batch.append(entry, decideExpire(entry.state, at, { ownerGone: true }));
  }
  await batch.write(runner, sql);
  if (gone.length > 0) await runner.rows(sql.forgetOwners, [gone]);
  if (leases.length > 0) {
    context.options.logger.info('took over the leases of owners whose session is gone', {
      owners: holders,
      entries: leases.length,
    });
  }
}
