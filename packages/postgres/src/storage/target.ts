import type { PoolConfig } from 'pg';

/** Where the store's data is, said without the password, and the password to keep out of messages. */
export interface Target {
  /** E.g. `postgres://app@db.internal:5432/crm, schema "hubline"`. */
  readonly description: string;
  /** The password, if the settings hold one. */
  readonly secret: string | undefined;
}

/**
 * Describes a server and schema for errors and logs, without the password.
 *
 * @param config - the connection settings: a URL, or a pool's options
 * @param schema - the store's schema
 */
export function describeTarget(config: string | PoolConfig, schema: string): Target {
  const settings = typeof config === 'string' ? { connectionString: config } : config;
  let user = settings.user;
  let host = settings.host;
  let port = settings.port === undefined ? undefined : String(settings.port);
  let database = settings.database;
  let secret = typeof settings.password === 'string' ? settings.password : undefined;
  if (settings.connectionString !== undefined) {
    try {
      const url = new URL(settings.connectionString);
      user ??= decodeURIComponent(url.username) || undefined;
      host ??= decodeURIComponent(url.hostname) || url.searchParams.get('host') || undefined;
      port ??= url.port || undefined;
      database ??= decodeURIComponent(url.pathname.slice(1)) || undefined;
      secret ??= decodeURIComponent(url.password) || undefined;
    } catch {
      // Not a URL: described by its parts alone.
    }
  }
  const where = `${user ?? ''}${user === undefined ? '' : '@'}${host ?? 'localhost'}${port === undefined ? '' : `:${port}`}`;
  return { description: `postgres://${where}/${database ?? ''}, schema "${schema}"`, secret };
}
