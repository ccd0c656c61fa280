import { defineProject } from 'vitest/config';

/** Tests that guard every package at once: boundaries, TSDoc, manifests, and the packed tarballs as users get them. */
export default defineProject({
  test: { name: 'release', include: ['**/*.test.ts'], exclude: ['consumer/**', 'node_modules/**'] },
});
