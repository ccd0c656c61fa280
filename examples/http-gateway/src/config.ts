import { MIN_KEY_LENGTH } from './client-keys.js';

/** How the gateway authenticates to HubSpot: a private app's token, or an OAuth app's install. */
export type HubSpotCredentials =
  | {
      readonly type: 'access-token';
      /** The private app's access token. */
      readonly accessToken: string;
    }
  | {
      readonly type: 'refresh-token';
      /** The OAuth app's client id. */
      readonly clientId: string;
      /** The OAuth app's client secret. */
      readonly clientSecret: string;
      /** The install's refresh token. */
      readonly refreshToken: string;
    };

/** Everything the gateway reads from its environment. Secrets stay in memory: never logged, never in a message. */
export interface GatewayConfig {
  /** `HUBLINE_OUTBOX_PATH`: the outbox file. */
  readonly outboxPath: string;
  /** `HUBSPOT_BASE_URL`: HubSpot's API root, or the emulator's URL. */
  readonly baseUrl: string;
  /** `HUBSPOT_ACCESS_TOKEN`, or `HUBSPOT_CLIENT_ID` + `HUBSPOT_CLIENT_SECRET` + `HUBSPOT_REFRESH_TOKEN`. */
  readonly hubspot: HubSpotCredentials;
  /** `GATEWAY_CLIENT_KEYS`: a JSON object, client name → its API key. */
  readonly clientKeys: Readonly<Record<string, string>>;
  /** `GATEWAY_TEMPLATE_IDS`: the event templates clients may record into, comma-separated. */
  readonly templateIds: readonly string[];
  /** `GATEWAY_ALLOWED_ORIGINS`: the web origins whose pages may call the gateway (CORS), comma-separated. */
  readonly allowedOrigins: readonly string[];
  /** `GATEWAY_HOST`, `GATEWAY_PORT`. */
  readonly listen: {
    /** The interface to listen on. */
    readonly host: string;
    /** The port. */
    readonly port: number;
  };
  /** `GATEWAY_MAX_BODY_BYTES`: a request body's cap. */
  readonly maxBodyBytes: number;
  /** `GATEWAY_MAX_PENDING`: events waiting for HubSpot at most, after which clients get 503; unset, no cap. */
  readonly maxPending?: number;
  /** `GATEWAY_DRAIN_TIMEOUT_MS`: how long a stop may spend sending what is left. */
  readonly drainTimeoutMs: number;
}

/** Defaults of the optional variables. */
export const GATEWAY_DEFAULTS = {
  baseUrl: 'https://api.hubapi.com',
  host: '127.0.0.1',
  port: 8080,
  maxBodyBytes: 1024 * 1024,
  drainTimeoutMs: 10_000,
} as const;

/** The environment is not a usable configuration. The message names each variable at fault, never a value. */
export class GatewayConfigError extends Error {
  /** The error's name, for logs. */
  override readonly name = 'GatewayConfigError';
}

/** Reads variables and collects what is wrong with them. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  optional(name: string): string | undefined {
    const raw = this.env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  }

  required(name: string): string {
    const found = this.optional(name);
    if (found === undefined) this.problems.push(`${name} is required`);
    return found ?? '';
  }

  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .flatMap((item) => (item.trim() === '' ? [] : [item.trim()]));
  }

  whole(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
      this.problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return parsed;
  }
}

/**
 * Read the gateway's configuration from its environment, checking every variable before anything starts.
 *
 * @param env - usually `process.env`
 * @throws GatewayConfigError naming each variable that is missing or unusable
 */
export function readGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const read = new EnvReader(env);
  const templateIds = read.list('GATEWAY_TEMPLATE_IDS');
  const maxPending =
    read.optional('GATEWAY_MAX_PENDING') === undefined
      ? undefined
      : read.whole('GATEWAY_MAX_PENDING', 0, 1, Number.MAX_SAFE_INTEGER);
  if (templateIds.length === 0)
    read.problems.push('GATEWAY_TEMPLATE_IDS is required: the templates clients may use');
  const config: GatewayConfig = {
    outboxPath: read.required('HUBLINE_OUTBOX_PATH'),
    baseUrl: read.optional('HUBSPOT_BASE_URL') ?? GATEWAY_DEFAULTS.baseUrl,
    hubspot: readCredentials(read),
    clientKeys: readClientKeys(read),
    templateIds,
    allowedOrigins: read.list('GATEWAY_ALLOWED_ORIGINS'),
    listen: {
      host: read.optional('GATEWAY_HOST') ?? GATEWAY_DEFAULTS.host,
      port: read.whole('GATEWAY_PORT', GATEWAY_DEFAULTS.port, 0, 65_535),
    },
    maxBodyBytes: read.whole('GATEWAY_MAX_BODY_BYTES', GATEWAY_DEFAULTS.maxBodyBytes, 1024, 64 * 1024 * 1024),
    drainTimeoutMs: read.whole('GATEWAY_DRAIN_TIMEOUT_MS', GATEWAY_DEFAULTS.drainTimeoutMs, 0, 600_000),
    ...(maxPending === undefined ? {} : { maxPending }),
  };
  if (read.problems.length > 0)
    throw new GatewayConfigError(`Gateway configuration: ${read.problems.join('; ')}`);
  return config;
}

function readCredentials(read: EnvReader): HubSpotCredentials {
  const accessToken = read.optional('HUBSPOT_ACCESS_TOKEN');
  if (accessToken !== undefined) return { type: 'access-token', accessToken };
  const clientId = read.optional('HUBSPOT_CLIENT_ID');
  if (clientId === undefined) {
    read.problems.push(
      'HUBSPOT_ACCESS_TOKEN, or HUBSPOT_CLIENT_ID with HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN, is required',
    );
    return { type: 'access-token', accessToken: '' };
  }
  return {
    type: 'refresh-token',
    clientId,
    clientSecret: read.required('HUBSPOT_CLIENT_SECRET'),
    refreshToken: read.required('HUBSPOT_REFRESH_TOKEN'),
  };
}

function readClientKeys(read: EnvReader): Record<string, string> {
  const raw = read.required('GATEWAY_CLIENT_KEYS');
  if (raw === '') return {};
  let keys: unknown;
  try {
    keys = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text around the fault, which is a key.
    keys = undefined;
  }
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    read.problems.push('GATEWAY_CLIENT_KEYS must be a JSON object of client name → API key');
    return {};
  }
  const entries = Object.entries(keys as Record<string, unknown>);
  for (const [name, key] of entries) {
    if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH)
      read.problems.push(
        `GATEWAY_CLIENT_KEYS.${name} must be a string of at least ${MIN_KEY_LENGTH} characters`,
      );
  }
  const distinct = new Set(entries.map(([, key]) => key));
  if (distinct.size !== entries.length)
    read.problems.push('GATEWAY_CLIENT_KEYS gives two clients the same key');
  return keys as Record<string, string>;
}
