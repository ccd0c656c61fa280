import * as path from 'node:path';

/** HubSpot's OAuth app credentials. Kept in memory only: never logged, never put in an error message. */
export interface OAuthCredentials {
  /** The OAuth app's client id. */
  readonly clientId: string;
  /** The OAuth app's client secret. */
  readonly clientSecret: string;
  /** The install's refresh token. */
  readonly refreshToken: string;
}

/** Everything the kiosk service reads from its environment. */
export interface KioskConfig {
  /** The outbox file: `HUBLINE_OUTBOX_PATH`, else `outbox.db` in systemd's `$STATE_DIRECTORY`. */
  readonly outboxPath: string;
  /** HubSpot's API root, or the emulator's URL: `HUBSPOT_BASE_URL`. */
  readonly baseUrl: string;
  /** `HUBSPOT_CLIENT_ID`, `HUBSPOT_CLIENT_SECRET`, `HUBSPOT_REFRESH_TOKEN`. */
  readonly credentials: OAuthCredentials;
  /** The event templates the kiosk records into. */
  readonly templates: {
    /** `KIOSK_CHECK_IN_TEMPLATE_ID`: a check-in on a company (tokens `location`, `method`, `guests`). */
    readonly checkIn: string;
    /** `KIOSK_SCAN_TEMPLATE_ID`: a ticket or badge scan by a contact (tokens `code`, `scannedAt`). */
    readonly scan: string;
  };
  /** Where the local endpoint listens: `KIOSK_HOST` (loopback unless you mean otherwise) and `KIOSK_PORT`. */
  readonly listen: {
    /** The interface to listen on. */
    readonly host: string;
    /** The port. */
    readonly port: number;
  };
  /** How long a stop may spend sending what is left: `KIOSK_DRAIN_TIMEOUT_MS`. */
  readonly drainTimeoutMs: number;
}

/** The variables that hold secrets: read once, then removed from `process.env` so no child process inherits them. */
export const SECRET_VARIABLES = ['HUBSPOT_CLIENT_SECRET', 'HUBSPOT_REFRESH_TOKEN'] as const;

/** Defaults of the optional variables. */
export const KIOSK_DEFAULTS = {
  baseUrl: 'https://api.hubapi.com',
  host: '127.0.0.1',
  port: 8787,
  drainTimeoutMs: 10_000,
} as const;

/** The environment is not a usable configuration. The message names every variable at fault, never a value. */
export class KioskConfigError extends Error {
  /** The error's name, for logs. */
  override readonly name = 'KioskConfigError';
}

/**
 * Read the service's configuration from its environment, checking every variable before anything starts.
 *
 * @param env - usually `process.env`
 * @throws KioskConfigError naming each variable that is missing or unusable
 * @example
 * ```ts
 * const config = readKioskConfig(process.env);
 * ```
 */
export function readKioskConfig(env: Readonly<Record<string, string | undefined>>): KioskConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const required = (name: string): string => {
    const found = value(name);
    if (found === undefined) problems.push(`${name} is required`);
    return found ?? '';
  };
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
    }
    return parsed;
  };

  const stateDirectory = value('STATE_DIRECTORY')?.split(':')[0];
  const outboxPath =
    value('HUBLINE_OUTBOX_PATH') ??
    (stateDirectory === undefined ? undefined : path.join(stateDirectory, 'outbox.db'));
  if (outboxPath === undefined)
    problems.push('HUBLINE_OUTBOX_PATH is required (or run under systemd with StateDirectory=)');

  const config: KioskConfig = {
    outboxPath: outboxPath ?? '',
    baseUrl: value('HUBSPOT_BASE_URL') ?? KIOSK_DEFAULTS.baseUrl,
    credentials: {
      clientId: required('HUBSPOT_CLIENT_ID'),
      clientSecret: required('HUBSPOT_CLIENT_SECRET'),
      refreshToken: required('HUBSPOT_REFRESH_TOKEN'),
    },
    templates: { checkIn: required('KIOSK_CHECK_IN_TEMPLATE_ID'), scan: required('KIOSK_SCAN_TEMPLATE_ID') },
    listen: {
      host: value('KIOSK_HOST') ?? KIOSK_DEFAULTS.host,
      port: whole('KIOSK_PORT', KIOSK_DEFAULTS.port, 0, 65_535),
    },
    drainTimeoutMs: whole('KIOSK_DRAIN_TIMEOUT_MS', KIOSK_DEFAULTS.drainTimeoutMs, 0, 600_000),
  };
  if (problems.length > 0) throw new KioskConfigError(`Kiosk configuration: ${problems.join('; ')}`);
  return config;
}
