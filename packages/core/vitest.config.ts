import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hubline/source'] },
  ssr: { resolve: { conditions: ['@hubline/source'] } },
  test: { name: 'core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
