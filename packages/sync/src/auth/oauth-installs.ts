import { DeliveryError, ValidationError, type ValidationIssue } from '@hubline/core';
import type { MaybePromise } from '@hubline/core/store';
import type { TokenContext, TokenProvider } from '../contracts.js';
import { baseUrlIssues } from '../transport/assert-base-url.js';
import { oauthRefreshToken } from './oauth-refresh-token.js';

/** What an app keeps for one install of its HubSpot app: secrets, so kept where the app keeps secrets. */
export interface InstallTokens {
  /** The install's refresh token. HubSpot may rotate it; the new one is saved. */
  readonly refreshToken: string;
  /** The last access token, kept so a restart does not refresh at once. */
  readonly accessToken?: string;
  /** When `accessToken` expires, epoch ms. */
  readonly expiresAt?: number;
}

/**
 * Where {@link oauthInstalls} keeps each account's tokens: the app's secret store (a keychain, a secrets manager, an
 * encrypted table). Hubline never writes tokens to the outbox, a log or an error. `save` is called with every
 * rotated refresh token and every new access token; a `save` that fails is reported to `onSaveError` and does not
 * stop delivery (the tokens in memory still serve until the process ends).
 */
export interface InstallTokenStore {
  /**
   * The tokens of the install in `account`, or `undefined` when the app is not installed there.
   *
   * @param account - the HubSpot account id
   */
  load(account: string): MaybePromise<InstallTokens | undefined>;
  /**
   * Keep the tokens of the install in `account`.
   *
   * @param account - the HubSpot account id
   * @param tokens - the refresh token, and the access token with its expiry
   */
  save(account: string, tokens: InstallTokens): MaybePromise<void>;
}

/** Options of {@link oauthInstalls}. */
export interface OAuthInstallsOptions {
  /** The HubSpot app's client id. */
  readonly clientId: string;
  /** The HubSpot app's client secret. Never logged or put in an error message. */
  readonly clientSecret: string;
  /** Where each install's tokens are kept. */
  readonly store: InstallTokenStore;
  /** Where `/oauth/v1/token` lives. @default the engine's `baseUrl` */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch-ms clock for expiry. @default Date.now */
  readonly clock?: () => number;
  /** Refresh this long before an access token expires. @default 60000 */
  readonly refreshSkewMs?: number;
  /** Give up on one refresh request after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** Called when `store.save` fails (never with a secret). @default ignore */
  readonly onSaveError?: (account: string, error: unknown) => void;
}

/**
 * Access tokens for every install of an integrator app: one OAuth refresh flow per HubSpot account, each refresh
 * token (HubSpot rotates them) and access token kept in the app's {@link InstallTokenStore}, each access token
 * refreshed shortly before it expires. Pass it as the engine's `accounts`. An account the app is not installed in,
 * or whose install was removed (HubSpot refuses the refresh token), fails with `UNAUTHORIZED`: the engine pauses
 * that account alone, saying why, and its events wait (or the app drops them with the outbox's `discard`).
 *
 * @param options - app credentials and the token store
 * @returns each account's token provider, for the engine's `accounts` option
 * @throws ValidationError naming `clientId`, `clientSecret`, `store` or `baseUrl` when unusable
 * @example
 * ```ts
 * const sync = createSyncEngine({
 *   outbox,
 *   accounts: oauthInstalls({ clientId, clientSecret, store: myKeychainStore }),
 * });
 * outbox.record({ account: '12345', eventTemplateId: '1001', email: 'ana@example.com' });
 * ```
 */
export function oauthInstalls(options: OAuthInstallsOptions): (account: string) => TokenProvider {
  validate(options);
  const providers = new Map<string, TokenProvider>();
  return (account) => {
    let provider = providers.get(account);
    if (provider === undefined) {
      provider = installProvider(account, options);
      providers.set(account, provider);
    }
    return provider;
  };
}

/** One account's provider: loads its install on first use, then refreshes as `oauthRefreshToken` does. */
function installProvider(account: string, options: OAuthInstallsOptions): TokenProvider {
  let inner: Promise<TokenProvider> | undefined;
  let last: InstallTokens | undefined;
  const save = (tokens: InstallTokens): void => {
    last = tokens;
    Promise.resolve()
      .then(() => options.store.save(account, tokens))
      .catch((error: unknown) => options.onSaveError?.(account, error));
  };
  const load = async (): Promise<TokenProvider> => {
    const stored = await options.store.load(account);
    if (stored === undefined || typeof stored.refreshToken !== 'string' || stored.refreshToken === '') {
      throw new DeliveryError('UNAUTHORIZED', `The app is not installed in HubSpot account ${account}`);
    }
    last = stored;
    return oauthRefreshToken({
      ...passedThrough(options),
      refreshToken: stored.refreshToken,
      ...(stored.accessToken !== undefined && stored.expiresAt !== undefined
        ? { accessToken: { token: stored.accessToken, expiresAt: stored.expiresAt } }
        : {}),
      onRefreshToken: (refreshToken) => save({ ...last, refreshToken }),
      onAccessToken: (accessToken, expiresAt) =>
        save({ ...(last ?? { refreshToken: '' }), accessToken, expiresAt }),
    });
  };
  return {
    async getToken(context?: TokenContext): Promise<string> {
      inner ??= load();
      let provider: TokenProvider;
      try {
        provider = await inner;
      } catch (error) {
        // Not installed (yet): look again next time, the install may come.
        inner = undefined;
        throw error;
      }
      return provider.getToken(context);
    },
    invalidate(token: string): void {
      // A provider that failed to load has nothing to invalidate; getToken reports that failure itself.
      void inner?.then((provider) => provider.invalidate(token)).catch(() => undefined);
    },
  };
}

/** The refresh flow's options an install shares with every other: the app's credentials and the flow's settings. */
function passedThrough(
  options: OAuthInstallsOptions,
): Omit<Parameters<typeof oauthRefreshToken>[0], 'refreshToken'> {
  const { clientId, clientSecret, baseUrl, fetch, clock, refreshSkewMs, timeoutMs } = options;
  const optional = { baseUrl, fetch, clock, refreshSkewMs, timeoutMs };
  return {
    clientId,
    clientSecret,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

function validate(options: OAuthInstallsOptions): void {
  const issues: ValidationIssue[] = [];
  for (const field of ['clientId', 'clientSecret'] as const) {
    if (typeof options[field] !== 'string' || options[field].length === 0) {
      issues.push({ path: field, message: 'is required (a non-empty string)' });
    }
  }
  const store = options.store as Partial<InstallTokenStore> | undefined;
  if (typeof store?.load !== 'function' || typeof store.save !== 'function') {
    issues.push({ path: 'store', message: 'must have load(account) and save(account, tokens)' });
  }
  if (options.baseUrl !== undefined) issues.push(...baseUrlIssues(options.baseUrl, 'baseUrl'));
  if (issues.length > 0) throw new ValidationError('OAuth installs options', issues);
}
