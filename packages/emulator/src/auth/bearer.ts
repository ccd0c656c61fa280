/** Reading the `Authorization` header and judging scopes, as HubSpot's timeline routes do. */

const bearer = /^Bearer +([\x21-\x7e]{1,512})$/i;

/** The token of a well-formed `Authorization: Bearer …` header, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : bearer.exec(header)?.[1];
}

/** What a route needs its token's scopes to allow. */
export type ScopeNeed = 'write' | 'read';

const writeScope = /^crm\.(objects|schemas)\.[a-z_]+(\.[a-z_]+)*\.write(\.v2)?$/;
const readScope = /^crm\.(objects|schemas)\.[a-z_]+(\.[a-z_]+)*\.read(\.v2)?$/;

/**
 * Whether scopes allow the route, as the spec's `security` lists them: creating events needs `timeline`, a
 * `tickets` scope or a CRM object write scope; reading one back needs `timeline`, a `tickets` scope or a CRM
 * object read scope.
 */
export function scopesAllow(scopes: readonly string[], need: ScopeNeed): boolean {
  const pattern = need === 'write' ? writeScope : readScope;
  return scopes.some(
    (s) => s === 'timeline' || s === 'tickets' || s.startsWith('tickets.') || pattern.test(s),
  );
}

/** Refusal of a request, before anything else is looked at. */
export interface AuthRefusal {
  /** Always false: the request is refused. */
  readonly ok: false;
  /** 401 for a missing, unknown, expired or revoked credential, 403 for missing scopes. */
  readonly status: 401 | 403;
  /** HubSpot's category, e.g. `EXPIRED_AUTHENTICATION`. */
  readonly category: string;
  /** HubSpot's message. */
  readonly message: string;
  /** The error body's `context`, when there is one. */
  readonly context?: Record<string, string[]>;
  /** The error body's `errors`, e.g. the scopes required. */
  readonly errors?: {
    /** What this one error says, e.g. which scope is missing. */
    message: string;
    /** Its `context`, e.g. `{ requiredScopes: ['timeline'] }`; absent when HubSpot gives none. */
    context?: Record<string, string[]>;
  }[];
}

/** HubSpot's 401 for a request without credentials. */
export const missingCredentials: AuthRefusal = Object.freeze({
  ok: false,
  status: 401,
  category: 'INVALID_AUTHENTICATION',
  message:
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
});

/** HubSpot's 401 for an access token it does not know (or no longer knows: a revoked install's). */
export const invalidToken: AuthRefusal = Object.freeze({
  ok: false,
  status: 401,
  category: 'INVALID_AUTHENTICATION',
  message: 'The OAuth token used to make this call is not valid.',
});

/** HubSpot's 401 for an access token past its expiry. */
export function expiredToken(now: number, expiresAt: number): AuthRefusal {
  const ago = Math.max(0, Math.floor((now - expiresAt) / 1000));
  return {
    ok: false,
    status: 401,
    category: 'EXPIRED_AUTHENTICATION',
    message: `The OAuth token used to make this call expired ${ago} second(s) ago.`,
  };
}

/** HubSpot's 403 for a token whose scopes do not allow the route. */
export function missingScopes(): AuthRefusal {
  return {
    ok: false,
    status: 403,
    category: 'MISSING_SCOPES',
    message:
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    errors: [
      {
        message: 'One or more of the following scopes are required.',
        context: { requiredGranularScopes: ['timeline'] },
      },
    ],
  };
}
