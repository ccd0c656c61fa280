/** Where the demo sends its events. */
export type DemoTarget =
  /** The embedded HubSpot emulator: no account, full control over network and faults. */
  | { readonly kind: 'emulator' }
  /** The real HubSpot API; the network switch only tells the engine it is offline, faults are off. */
  | {
      readonly kind: 'hubspot';
      /** HubSpot's API root: `HUBSPOT_BASE_URL`, else `https://api.hubapi.com`. */
      readonly baseUrl: string;
      /** The template every demo event uses: `HUBSPOT_EVENT_TEMPLATE_ID`. */
      readonly eventTemplateId: string;
      /** How the engine authenticates; the secrets live here only and are never printed. */
      readonly credentials:
        | {
            readonly type: 'access-token';
            /** A fixed token: `HUBSPOT_ACCESS_TOKEN` (a private app's, or an OAuth access token). */
            readonly accessToken: string;
          }
        | {
            readonly type: 'refresh-token';
            /** The OAuth app's client id: `HUBSPOT_CLIENT_ID`. */
            readonly clientId: string;
            /** The OAuth app's client secret: `HUBSPOT_CLIENT_SECRET`. */
            readonly clientSecret: string;
            /** The install's refresh token: `HUBSPOT_REFRESH_TOKEN`. */
            readonly refreshToken: string;
          };
    };

/** HubSpot's API root. */
const HUBSPOT_BASE_URL = 'https://api.hubapi.com';

/** A HubSpot setup in the environment that is half there; the message names the missing variable. */
export class TargetConfigError extends Error {
  /** Always `TargetConfigError`, so a guard can tell it apart by name without `instanceof`. */
  override readonly name = 'TargetConfigError';
}

/**
 * Decide between the emulator and real HubSpot from environment variables: `HUBSPOT_ACCESS_TOKEN`, or
 * `HUBSPOT_CLIENT_ID` + `HUBSPOT_CLIENT_SECRET` + `HUBSPOT_REFRESH_TOKEN`, together with
 * `HUBSPOT_EVENT_TEMPLATE_ID`. With none of them set, the emulator. The secrets are kept only in the returned
 * value; nothing here prints them.
 *
 * @param env - the environment, e.g. `process.env`
 * @throws TargetConfigError when some HubSpot variables are set but not a usable set
 * @example
 * ```ts
 * const target = resolveTarget(process.env); // { kind: 'emulator' } on a fresh machine
 * ```
 */
export function resolveTarget(env: Readonly<Record<string, string | undefined>>): DemoTarget {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const accessToken = value('HUBSPOT_ACCESS_TOKEN');
  const clientId = value('HUBSPOT_CLIENT_ID');
  const clientSecret = value('HUBSPOT_CLIENT_SECRET');
  const refreshToken = value('HUBSPOT_REFRESH_TOKEN');
  const eventTemplateId = value('HUBSPOT_EVENT_TEMPLATE_ID');
  const anyOAuth = clientId !== undefined || clientSecret !== undefined || refreshToken !== undefined;
  if (accessToken === undefined && !anyOAuth) {
    if (eventTemplateId !== undefined) {
      throw new TargetConfigError(
        'HUBSPOT_EVENT_TEMPLATE_ID is set but no credentials: set HUBSPOT_ACCESS_TOKEN, or HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN',
      );
    }
    return { kind: 'emulator' };
  }
  if (eventTemplateId === undefined) {
    throw new TargetConfigError(
      'HUBSPOT_EVENT_TEMPLATE_ID is required to send to real HubSpot (see apps/demo/README.md)',
    );
  }
  const baseUrl = value('HUBSPOT_BASE_URL') ?? HUBSPOT_BASE_URL;
  if (accessToken !== undefined) {
    return { kind: 'hubspot', baseUrl, eventTemplateId, credentials: { type: 'access-token', accessToken } };
  }
  const missing = [
    ['HUBSPOT_CLIENT_ID', clientId],
    ['HUBSPOT_CLIENT_SECRET', clientSecret],
    ['HUBSPOT_REFRESH_TOKEN', refreshToken],
  ]
    .filter(([, present]) => present === undefined)
    .map(([name]) => name);
  if (missing.length > 0)
    throw new TargetConfigError(`${missing.join(', ')} missing for the OAuth refresh-token setup`);
  return {
    kind: 'hubspot',
    baseUrl,
    eventTemplateId,
    credentials: {
      type: 'refresh-token',
      clientId: clientId!,
      clientSecret: clientSecret!,
      refreshToken: refreshToken!,
    },
  };
}
