import { defineConfig } from 'vitest/config';

/**
 * One vitest project per package, one for the examples; each project resolves siblings through the
 * `@hubline/source` condition.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples', 'tests'],
    // vitest's default leaves one core idle (CPUs − 1): on a 2-core CI machine that runs one file at a time. Most
    // of the heavy files wait on child processes, servers and sockets, so two at once fit two cores.
    maxWorkers: 2,
  },
});
