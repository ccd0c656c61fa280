import { defineConfig } from 'vitest/config';

/** One vitest project per package; each project resolves siblings through the `@hubline/source` condition. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests'],
  },
});
