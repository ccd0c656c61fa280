import { DeliveryError, ValidationError } from '@hubline/core';
import type { AccessTokenSource, TokenProvider } from '../contracts.js';
import { resolveTokenProvider } from './resolve-token-provider.js';

/**
 * Each HubSpot account's own token source: a map from account id to source, or a function that answers for an
 * account (`undefined` when it has none). An integrator app installed in many accounts has one per install, e.g.
 * `oauthInstalls(…)`.
 */
export type AccountTokenSources =
  | Readonly<Record<string, AccessTokenSource>>
  | ((account: string) => AccessTokenSource | undefined);

/** The token source of one account, and what identifies it for the rate budget it shares. */
export interface AccountTokens {
  /** The provider the engine asks for this account's tokens. */
  readonly provider: TokenProvider;
  /** The source as given (a token, a function, a provider): engines with the same one share a budget. */
  readonly identity: AccessTokenSource;
}

/**
 * Resolve the engine's token options into a lookup by account, memoised: `accessToken` serves every account,
 * `accounts` gives each its own. An account with no source gets a provider that refuses with `UNAUTHORIZED`,
 * so that account alone pauses, saying why.
 *
 * @param accessToken - one source for every account
 * @param accounts - each account's own source
 * @throws ValidationError naming `accessToken` / `accounts` when neither or both are given, or one is unusable
 */
export function resolveAccountTokens(
  accessToken: AccessTokenSource | undefined,
  accounts: AccountTokenSources | undefined,
): (account: string) => AccountTokens {
  if ((accessToken === undefined) === (accounts === undefined)) {
    throw new ValidationError('sync engine options', [
      {
        path: 'accessToken',
        message:
          'give exactly one of accessToken (one token source for every account) or accounts (one per account)',
      },
    ]);
  }
  if (
    accounts !== undefined &&
    typeof accounts !== 'function' &&
    (typeof accounts !== 'object' || accounts === null)
  ) {
    throw new ValidationError('sync engine options', [
      {
        path: 'accounts',
        message: 'must be a map from account id to token source, or a function of the account',
      },
    ]);
  }
  const single =
    accessToken === undefined
      ? undefined
      : { provider: resolveTokenProvider(accessToken), identity: accessToken };
  const known = new Map<string, AccountTokens>();
  return (account) => {
    if (single !== undefined) return single;
    let tokens = known.get(account);
    if (tokens === undefined) {
      tokens = resolveOne(account, accounts!);
      known.set(account, tokens);
    }
    return tokens;
  };
}

function resolveOne(account: string, accounts: AccountTokenSources): AccountTokens {
  const source =
    typeof accounts === 'function'
      ? accounts(account)
      : Object.hasOwn(accounts, account)
        ? accounts[account]
        : undefined;
  if (source === undefined) {
    const refusal = new DeliveryError(
      'UNAUTHORIZED',
      `No access token source for HubSpot account ${account}`,
    );
    return {
      provider: { getToken: () => Promise.reject(refusal), invalidate: () => {} },
      identity: `none:${account}`,
    };
  }
  return { provider: resolveTokenProvider(source), identity: source };
}
