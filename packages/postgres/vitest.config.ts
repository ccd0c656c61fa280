import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hubline/source'] },
  ssr: { resolve: { conditions: ['@hubline/source'] } },
  test: {
    name: 'postgres',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One throwaway cluster for the whole project (or HUBLINE_PG_URL): each test file makes its own schemas.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
