import type { PoolConfig } from 'pg';

/** Where the store's data is, said without the password, and the password to keep out of messages. */
export interface Target {
  /** E.g. `postgres://app@db.internal:5432/crm, schema "hubline"`. */
  readonly description: string;
  /** The password, if the settings hold one. */
  readonly secret: string | undefined;
}

/** The parts of the connection settings a description names. */
interface TargetParts {
  readonly user?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly database?: string | undefined;
  readonly password?: string | undefined;
}

/**
 * Describes a server and schema for errors and logs, without the password.
 *
 * @param config - the connection settings: a URL, or a pool's options
 * @param schema - the store's schema
 */
export function describeTarget(config: string | PoolConfig, schema: string): Target {
  const settings = typeof config === 'string' ? { connectionString: config } : config;
  const fromUrl = urlParts(settings.connectionString);
  // The pool's own settings win over its URL's, as `pg` has it.
  const user = settings.user ?? fromUrl.user;
  const host = settings.host ?? fromUrl.host ?? 'localhost';
  const port = settings.port === undefined ? fromUrl.port : String(settings.port);
  const database = settings.database ?? fromUrl.database ?? '';
  const secret = typeof settings.password === 'string' ? settings.password : fromUrl.password;
  const who = user === undefined ? '' : `${user}@`;
  const where = `${who}${host}${port === undefined ? '' : `:${port}`}`;
  return { description: `postgres://${where}/${database}, schema "${schema}"`, secret };
}

/** The parts of a connection URL, each `undefined` when absent; none for a string that is not a URL. */
function urlParts(connectionString: string | undefined): TargetParts {
  if (connectionString === undefined) return {};
  try {
    const url = new URL(connectionString);
    const part = (value: string) => decodeURIComponent(value) || undefined;
    return {
      user: part(url.username),
      host: part(url.hostname) ?? (url.searchParams.get('host') || undefined),
      port: url.port || undefined,
      database: part(url.pathname.slice(1)),
      password: part(url.password),
    };
  } catch {
    // Not a URL: described by its parts alone.
    return {};
  }
}
