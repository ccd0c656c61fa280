import { defineTables } from './tables.js';

/*
 * What drizzle-kit reads to generate the committed migrations in `drizzle/`: the tables without a schema, so
 * that the SQL creates them wherever the migrator's search path points (`storage/migrate.ts`).
 */

export const { entries, lifecycle, counters, budgets, owners, clock } = defineTables();
