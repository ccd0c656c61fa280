import { type TimelineEventInput, ValidationError } from '@hubline/core';
import { appRunner } from '../storage/app-transaction.js';
import type { Statement } from '../storage/runner.js';
import type { StoreContext } from '../storage/store-context.js';
import type { AppTransaction } from '../types.js';
import { insertEvents, needsUndo, prepareBatch, type Recorded, type RecordSettings } from './record.js';

/** Where a record runs: in the store's own transaction, or in the app's. */
export type RecordPlace =
  | 'own'
  | {
      /** The app's transaction. */
      readonly tx: AppTransaction;
    };

const SAVEPOINT: Statement = { name: 'hubline_savepoint', text: 'SAVEPOINT hubline_record' };
const RELEASE: Statement = { name: 'hubline_release', text: 'RELEASE SAVEPOINT hubline_record' };
const ROLLBACK_TO: Statement = { name: 'hubline_rollback_to', text: 'ROLLBACK TO SAVEPOINT hubline_record' };

/**
 * Records a batch, validated first (nothing is written when an input is refused), where the caller says:
 *
 * - in the store's own connections: one event without a size cap is one statement, committed on its own; a
 *   batch, or a capped store, is a transaction (rolled back on a conflict or a capacity refusal);
 * - in the app's transaction: the same statements on the app's connection, inside a savepoint when they may
 *   have to be undone, so that a refused batch leaves the app's own writes as they were. Nothing commits until
 *   the app does; the engines are notified then.
 *
 * @param context - the store's context
 * @param place - `'own'`, or the app's transaction
 * @param inputs - the events (an array without holes, checked already)
 * @param settings - record time, id factory and size limit
 * @param notifyOwn - in the store's own connections, whether the record notifies the other stores with its
 *   commit (otherwise the store notifies them a moment later, with other records: see `WakeUps`)
 * @returns the ids in input order, and what was written
 */
export async function recordIn(
  context: StoreContext,
  place: RecordPlace,
  inputs: readonly TimelineEventInput[],
  settings: RecordSettings,
  notifyOwn = true,
): Promise<{ readonly ids: readonly string[]; readonly recorded: Recorded }> {
  const runner = place === 'own' ? undefined : appRunner(place.tx);
  const notifier = notifyOwn ? context.instanceId : undefined;
  const { unique, ids } = prepareBatch(inputs, settings);
  const undo = needsUndo(context, unique);
  const at = settings.now;
  if (runner === undefined) {
    const recorded = undo
      ? await context.transaction('record', (tx) => insertEvents(context, tx.runner, unique, at, notifier))
      : await guarded(context, () => insertEvents(context, context.pooled, unique, at, notifier));
    return { ids, recorded };
  }
  if (!undo)
    return { ids, recorded: await guarded(context, () => insertEvents(context, runner, unique, at, '')) };
  return guarded(context, async () => {
    await runner.rows(SAVEPOINT, []).catch(notInTransaction);
    try {
      const recorded = await insertEvents(context, runner, unique, at, '');
      await runner.rows(RELEASE, []);
      return { ids, recorded };
    } catch (error) {
      // Undo the batch, keep the app's transaction usable; a failure to undo leaves the first error to report.
      await runner
        .rows(ROLLBACK_TO, [])
        .then(() => runner.rows(RELEASE, []))
        .catch(() => undefined);
      throw error;
    }
  });
}

/** Turns PostgreSQL's refusal of a savepoint outside a transaction into a refusal naming `tx`. */
function notInTransaction(error: unknown): never {
  if ((error as { code?: unknown }).code === '25P01') {
    throw new ValidationError(
      'record transaction',
      [{ path: 'tx', message: 'is not inside a transaction: call BEGIN first, or record without tx' }],
      { cause: error },
    );
  }
  throw error;
}

/** Runs `body`, turning a driver's failure into a `STORAGE_FAILED` error about recording. */
async function guarded<T>(context: StoreContext, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw context.failure(error, 'record');
  }
}
