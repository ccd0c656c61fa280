import { randomUUID } from 'node:crypto';
import { checkAccountId, defaultAccountId } from '../accounts/account-registry.js';
import type { AccountOptions } from '../accounts/account-types.js';
import type {
  AuthOptions,
  AuthorizationCode,
  AuthorizeOptions,
  IssuedToken,
  IssueTokenOptions,
  OAuthClientOptions,
  StaticTokenOptions,
} from './auth-types.js';
import {
  type AuthRefusal,
  bearerToken,
  expiredToken,
  invalidToken,
  missingCredentials,
  missingScopes,
  type ScopeNeed,
  scopesAllow,
} from './bearer.js';
import { type Install, Installs } from './installs.js';

/** The token the emulator accepts when configured with none. */
export const defaultAccessToken = 'hubline-emulator-token';
/** The default OAuth client (id, secret and refresh token) for `POST /oauth/v1/token`. */
export const defaultOAuthClient: OAuthClientOptions = Object.freeze({
  clientId: 'hubline-emulator-client',
  clientSecret: 'hubline-emulator-secret',
  refreshTokens: Object.freeze(['hubline-emulator-refresh']),
});

/** Acceptance of a request's credential. */
export interface AuthAcceptance {
  /** Always true: the request may go on. */
  readonly ok: true;
  /** The account the credential belongs to. */
  readonly account: string;
  /** The credential's name for the request log. */
  readonly label: string;
  /** With auth off only: the bearer value the budget is kept under (never logged). */
  readonly rateKey?: string;
}

/** An access token the emulator accepts. */
export interface Grant {
  /** The account it belongs to. */
  readonly account: string;
  /** Its scopes. */
  readonly scopes: readonly string[];
  /** Emulator clock time of expiry. */
  readonly expiresAt: number;
  /** Its name in the request log. */
  readonly label: string;
  /** The install it was issued for, when it came from `/oauth/v1/token`. */
  readonly install?: Install;
}

/** The rate-limit key of requests without a bearer when auth is off. */
const anonymousKey = 'anonymous';

/**
 * Access tokens (static and issued), each belonging to an account, and the OAuth installs that issue them.
 * Tokens are keys of maps here and nowhere else: never logged, never in an answer but their own grant's.
 */
export class TokenStore {
  readonly #grants = new Map<string, Grant>();
  readonly #requireAuth: boolean;
  readonly #ttlMs: number;
  #issued = 0;
  /** The OAuth clients, in configured order. */
  readonly clients: readonly OAuthClientOptions[];
  /** The installs of the app in every account. */
  readonly installs = new Installs();

  /**
   * A store holding the configured static tokens, OAuth clients and their installs, for the default account and
   * each configured account.
   *
   * @param options - the emulator's `auth` options: static tokens, OAuth clients, access-token lifetime.
   * @param accounts - the extra accounts, each with its own tokens and installs.
   * @throws TypeError naming the option when a token is empty or given twice.
   */
  constructor(options: AuthOptions = {}, accounts: readonly AccountOptions[] = []) {
    this.#requireAuth = options.requireAuth ?? true;
    this.clients = options.clients ?? [defaultOAuthClient];
    this.#ttlMs = options.accessTokenTtlMs ?? 1_800_000;
    const tokens = options.tokens ?? [{ token: defaultAccessToken }];
    tokens.forEach((t, i) => {
      this.#addStatic(defaultAccountId, t, `auth.tokens[${i}]`, `static-${i + 1}`);
    });
    for (const client of this.clients) {
      for (const refresh of client.refreshTokens) {
        this.installs.add(defaultAccountId, client.clientId, client.scopes ?? ['timeline'], false, refresh);
      }
    }
    accounts.forEach((account, i) => {
      this.#addAccount(account, `accounts[${i}]`);
    });
  }

  #addAccount(account: AccountOptions, at: string): void {
    checkAccountId(account.id, `${at}.id`);
    (account.tokens ?? []).forEach((t, j) => {
      this.#addStatic(account.id, t, `${at}.tokens[${j}]`, `account-${account.id}-static-${j + 1}`);
    });
    (account.installs ?? []).forEach((install, j) => {
      const where = `${at}.installs[${j}]`;
      if (typeof install.refreshToken !== 'string' || install.refreshToken.length === 0) {
        throw new TypeError(`${where}.refreshToken: required`);
      }
      const client = this.client(install.clientId);
      if (client === undefined) throw new TypeError(`${where}.clientId: no such OAuth client`);
      const scopes = install.scopes ?? client.scopes ?? ['timeline'];
      this.installs.add(account.id, client.clientId, scopes, install.rotate ?? true, install.refreshToken);
    });
  }

  #addStatic(account: string, t: StaticTokenOptions, at: string, label: string): void {
    if (typeof t.token !== 'string' || t.token.length === 0) throw new TypeError(`${at}.token: required`);
    this.#grants.set(t.token, {
      account,
      scopes: t.scopes ?? ['timeline'],
      expiresAt: t.expiresAt ?? Number.POSITIVE_INFINITY,
      label: t.label ?? label,
    });
  }

  /** The OAuth client with this id, or the first one when `clientId` is undefined. */
  client(clientId: string | undefined): OAuthClientOptions | undefined {
    return clientId === undefined ? this.clients[0] : this.clients.find((c) => c.clientId === clientId);
  }

  /** Judges an `Authorization` header at `now` for a route that needs `need`. */
  check(header: string | undefined, now: number, need: ScopeNeed): AuthAcceptance | AuthRefusal {
    const token = bearerToken(header);
    if (!this.#requireAuth) {
      const account = (token === undefined ? undefined : this.#live(token)?.account) ?? defaultAccountId;
      return { ok: true, account, label: 'unchecked', rateKey: `bearer:${token ?? anonymousKey}` };
    }
    if (token === undefined) return missingCredentials;
    const grant = this.#live(token);
    if (grant === undefined) return invalidToken;
    if (now >= grant.expiresAt) return expiredToken(now, grant.expiresAt);
    if (!scopesAllow(grant.scopes, need)) return missingScopes();
    return { ok: true, account: grant.account, label: grant.label };
  }

  /** The grant of a token, unless its install was revoked. */
  #live(token: string): Grant | undefined {
    const grant = this.#grants.get(token);
    return grant?.install?.revoked === true ? undefined : grant;
  }

  /**
   * The account and rate-limit key a request with this `Authorization` header is counted under, without judging
   * it: the account of a known token; with auth off, the bearer value (or `anonymous`) keys the budget.
   */
  identify(header: string | undefined): { account?: string; rateKey?: string } {
    const token = bearerToken(header);
    const account = token === undefined ? undefined : this.#live(token)?.account;
    if (this.#requireAuth) return account === undefined ? {} : { account };
    return { account: account ?? defaultAccountId, rateKey: `bearer:${token ?? anonymousKey}` };
  }

  /** The live grant of an access token, if any (for `GET /oauth/v1/access-tokens/{token}`). */
  grant(token: string): Grant | undefined {
    return this.#live(token);
  }

  /** Issues a new access token valid from `now`, for an account or an install. */
  issue(now: number, options: IssueTokenOptions = {}, install?: Install): IssuedToken {
    this.#issued += 1;
    const account = install?.account ?? checkAccountId(options.account ?? defaultAccountId, 'account');
    const accessToken = `emu-at-${randomUUID()}`;
    const expiresAt = now + (options.ttlMs ?? this.#ttlMs);
    this.#grants.set(accessToken, {
      account,
      scopes: install?.scopes ?? options.scopes ?? ['timeline'],
      expiresAt,
      label:
        options.label ?? (install === undefined ? `issued-${this.#issued}` : `oauth-${install.clientId}`),
      ...(install === undefined ? {} : { install }),
    });
    return { accessToken, expiresAt };
  }

  /** Hands out an authorization code for a new install of a client in `account`. */
  authorize(account: string, options: AuthorizeOptions, now: number): AuthorizationCode {
    checkAccountId(account, 'account');
    const client = this.client(options.clientId);
    if (client === undefined) throw new TypeError('clientId: no such OAuth client');
    const scopes = options.scopes ?? client.scopes ?? ['timeline'];
    return this.installs.authorize(account, client.clientId, scopes, options.redirectUri, now);
  }
}
