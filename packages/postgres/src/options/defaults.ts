/** The PostgreSQL schema the store's tables live in by default, apart from the app's own. */
export const DEFAULT_SCHEMA = 'hubline';

/** How many connections the store's own pool opens at most when it makes one. */
export const DEFAULT_POOL_SIZE = 10;
