/**
 * Entries read per page by the walks over many entries (`prune`, `rebuildProjection`, `requeue('all-dead')`,
 * eviction), which bounds their memory. Only `prune` also commits per page, letting other writers in between;
 * the others run in one transaction (see `rebuildProjection` in types.ts for why).
 */
export const CHUNK = 1000;
