import { defineTables } from './tables.js';

/*
 * What drizzle-kit reads to generate the committed migrations in `drizzle/`: the tables without a schema, so
 * that the SQL creates them wherever the migrator's search path points (`storage/migrate.ts`).
 */

/** The store's tables without a schema (see `tables.ts` for what each holds). */
export const { entries, lifecycle, counters, budgets, budgetSlots, owners, clock } = defineTables();
