import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates the committed SQL migrations in `drizzle/` from `src/storage/schema.ts`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/schema.ts',
  out: './drizzle',
});
