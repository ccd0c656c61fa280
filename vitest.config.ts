import { defineConfig } from 'vitest/config';

/**
 * One vitest project per package, one for the examples; each project resolves siblings through the
 * `@hubline/source` condition.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples', 'tests'],
  },
});
