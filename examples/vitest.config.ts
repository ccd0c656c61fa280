import { defineProject } from 'vitest/config';

/**
 * The examples' tests, one project for all three: each example is its own workspace package (so a user can copy
 * its folder), and its tests import the Hubline packages by name, resolved to their source here.
 */
export default defineProject({
  resolve: { conditions: ['@hubline/source'] },
  ssr: { resolve: { conditions: ['@hubline/source'] } },
  test: { name: 'examples', include: ['*/test/**/*.test.ts'] },
});
