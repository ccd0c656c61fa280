/** The PostgreSQL schema the store's tables live in by default, apart from the app's own. */
export const DEFAULT_SCHEMA = 'hubline';

/** How many connections the store's own pool opens at most when it makes one. */
export const DEFAULT_POOL_SIZE = 10;

/** How long `prune` keeps delivered entries by default: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** The account every entry belongs to until the storage port names accounts. */
export const DEFAULT_ACCOUNT = 'default';
