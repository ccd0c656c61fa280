import { deliveryStatements } from './delivery-statements.js';
import { recordStatements } from './record-statements.js';
import type { Names } from './sql-fragments.js';
import { budgetStatements, clockStatements, ownerStatements } from './upkeep-statements.js';

/*
 * The hot paths' SQL, one text per schema. Written by hand rather than with drizzle's query builder: they run
 * per event or per batch, move whole batches through `unnest` arrays, and use what the builder does not
 * express (`FOR UPDATE SKIP LOCKED` under a `LIMIT` walking an index, data-modifying CTEs, `ON CONFLICT` with a
 * `RETURNING` the next CTE joins). The cold paths (history, dead letters, requeue, prune) use the builder
 * (`cold-queries.ts`).
 */

/** Every statement of the store, qualified by its schema. */
export type Statements = ReturnType<typeof createStatements>;

/**
 * Builds the store's statements for one schema.
 *
 * @param schema - the PostgreSQL schema holding the tables, already checked to be a plain identifier
 */
export function createStatements(schema: string) {
  const s = `"${schema}"`;
  const names: Names = {
    s,
    entries: `${s}.entries`,
    lifecycle: `${s}.lifecycle`,
    counters: `${s}.counters`,
    clockRow: `SELECT high_water::float8 AS "highWater",
  (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS "serverNow" FROM ${s}.clock WHERE k = 1`,
  };
  return {
    ...recordStatements(names),
    ...deliveryStatements(names),
    ...ownerStatements(names),
    ...clockStatements(names),
    ...budgetStatements(names),
  };
}
