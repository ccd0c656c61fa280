import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates the committed SQL migrations in `drizzle/` from `src/schema/schema.ts`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/schema.ts',
  out: './drizzle',
});
