import { ValidationError } from '@hubline/core';
import { describeValue } from '@hubline/core/store';
import { is } from 'drizzle-orm';
import { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import type { ClientBase } from 'pg';
import { clientRunner, type DrizzleExecutor, drizzleRunner, type Runner } from './runner.js';

/**
 * A runner on the app's transaction, after checking that it is one the store can record in: a `pg` client, or
 * a drizzle transaction. A `Pool` (or drizzle on one, outside `db.transaction`) is refused: its statements would
 * each run on whichever connection is free, outside the app's transaction.
 *
 * @param tx - what the app passed
 * @throws {@link ValidationError} naming `tx`
 */
export function appRunner(tx: unknown): Runner {
  const refuse = (message: string): never => {
    throw new ValidationError('record transaction', [{ path: 'tx', message }]);
  };
  if (typeof tx !== 'object' || tx === null) {
    return refuse(
      `must be a pg client inside a transaction, or a drizzle transaction; got ${describeValue(tx)}`,
    );
  }
  if (is(tx, PgTransaction)) return drizzleRunner(tx as unknown as DrizzleExecutor);
  if (is(tx, PgDatabase)) {
    return refuse('is a drizzle database, not a transaction: pass the tx of db.transaction(async (tx) => …)');
  }
  const candidate = tx as { query?: unknown; totalCount?: unknown; idleCount?: unknown };
  if (typeof candidate.totalCount === 'number' && typeof candidate.idleCount === 'number') {
    return refuse('is a pg Pool: pass the client of pool.connect(), inside BEGIN … COMMIT');
  }
  if (typeof candidate.query !== 'function') {
    return refuse('must be a pg client inside a transaction, or a drizzle transaction');
  }
  return clientRunner(tx as ClientBase, false);
}
