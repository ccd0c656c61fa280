/** The defaults of `openPostgresOutbox`'s options, each under the option's own name. */
export const POSTGRES_OUTBOX_DEFAULTS = {
  /** The PostgreSQL schema the store's tables live in, apart from the app's own. */
  schema: 'hubline',
  /** How many connections the store's own pool opens at most when it makes one. */
  poolSize: 10,
} as const;
