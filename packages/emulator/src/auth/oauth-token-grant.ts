import type { Install } from './installs.js';
import type { TokenStore } from './token-store.js';

/** Either a token response or an OAuth error, as `POST /oauth/v1/token` answers. */
export type TokenGrantResult =
  | {
      readonly ok: true;
      /** The 200 body: `access_token`, `refresh_token`, `expires_in` (seconds) and `token_type`. */
      readonly body: Record<string, unknown>;
    }
  | {
      readonly ok: false;
      readonly status: 400;
      /** HubSpot's OAuth error category, e.g. `BAD_AUTH_CODE` or `BAD_REFRESH_TOKEN`. */
      readonly category: string;
      /** Why the grant is refused, e.g. `auth code expired`. */
      readonly message: string;
    };

function refuse(category: string, message: string): TokenGrantResult {
  return { ok: false, status: 400, category, message };
}

const codeMessages = {
  unknown: 'missing or unknown auth code',
  expired: 'auth code expired',
  client: 'auth code was issued to another client',
  redirect: 'redirect_uri does not match the one the code was sent to',
} as const;

/** The install a grant is for, and the refresh token to answer. */
interface Granted {
  readonly install: Install;
  readonly refreshToken: string;
}

/** `grant_type=refresh_token`: a live install of this client; a rotating one answers a new refresh token. */
function refreshGrant(
  tokens: TokenStore,
  form: URLSearchParams,
  clientId: string,
): Granted | TokenGrantResult {
  const used = form.get('refresh_token');
  const install = used === null ? undefined : tokens.installs.find(used);
  if (used === null || install === undefined || install.clientId !== clientId) {
    return refuse('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
  }
  return { install, refreshToken: tokens.installs.refreshWith(install, used) };
}

/** `grant_type=authorization_code`: a code from `authorize()`, once, for a new install. */
function codeGrant(
  tokens: TokenStore,
  form: URLSearchParams,
  clientId: string,
  now: number,
): Granted | TokenGrantResult {
  const redeemed = tokens.installs.redeem(form.get('code') ?? '', clientId, form.get('redirect_uri'), now);
  if (typeof redeemed === 'string') return refuse('BAD_AUTH_CODE', codeMessages[redeemed]);
  return { install: redeemed, refreshToken: redeemed.current };
}

/**
 * `POST /oauth/v1/token` (form-encoded): the `refresh_token` grant (for a live install; a rotating install
 * answers a new refresh token) and the `authorization_code` grant (a code from `authorize()`, once). Answers
 * HubSpot's token response with the account as `hub_id`, or a 400 whose category names the problem:
 * `BAD_GRANT_TYPE`, `BAD_CLIENT_ID`, `BAD_CLIENT_SECRET`, `BAD_REFRESH_TOKEN` (unknown, or revoked with its
 * install), `BAD_AUTH_CODE`.
 */
export function tokenGrant(tokens: TokenStore, form: URLSearchParams, now: number): TokenGrantResult {
  const grantType = form.get('grant_type');
  if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
    return refuse(
      'BAD_GRANT_TYPE',
      grantType === null ? 'missing grant_type' : `unsupported grant_type: ${grantType}`,
    );
  }
  const client = tokens.clients.find((c) => c.clientId === form.get('client_id'));
  if (client === undefined) return refuse('BAD_CLIENT_ID', 'missing or unknown client_id');
  if (client.clientSecret !== form.get('client_secret')) {
    return refuse('BAD_CLIENT_SECRET', 'missing or invalid client_secret');
  }
  const granted =
    grantType === 'refresh_token'
      ? refreshGrant(tokens, form, client.clientId)
      : codeGrant(tokens, form, client.clientId, now);
  if ('ok' in granted) return granted;
  const { install, refreshToken } = granted;
  const issued = tokens.issue(now, {}, install);
  return {
    ok: true,
    body: {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: issued.accessToken,
      expires_in: Math.round((issued.expiresAt - now) / 1000),
      token_use: 'access_token',
      scopes: [...install.scopes],
      hub_id: Number(install.account),
    },
  };
}
