import { randomUUID } from 'node:crypto';
import type { AuthOptions, IssuedToken, IssueTokenOptions, OAuthClientOptions } from './types.js';

/** The token and client the emulator accepts when configured with none. */
export const defaultAccessToken = 'hubline-emulator-token';
/** The default OAuth client (id, secret and refresh token) for `POST /oauth/v1/token`. */
export const defaultOAuthClient: OAuthClientOptions = Object.freeze({
  clientId: 'hubline-emulator-client',
  clientSecret: 'hubline-emulator-secret',
  refreshTokens: Object.freeze(['hubline-emulator-refresh']),
});

/** Refusal of a request, before anything else is looked at. */
export interface AuthRefusal {
  /** Always false: the request is refused. */
  readonly ok: false;
  /** 401 for a missing, unknown or expired token, 403 for missing scopes. */
  readonly status: 401 | 403;
  /** HubSpot's category, e.g. `EXPIRED_AUTHENTICATION`. */
  readonly category: string;
  /** HubSpot's message. */
  readonly message: string;
  /** The error body's `context`, when there is one. */
  readonly context?: Record<string, string[]>;
  /** The error body's `errors`, e.g. the scopes required. */
  readonly errors?: { message: string; context?: Record<string, string[]> }[];
}

/** Acceptance: `key` scopes the rate budget (never logged), `label` names the credential in the log. */
export interface AuthAcceptance {
  /** Always true: the request may go on. */
  readonly ok: true;
  /** The rate-limit key: the token itself, so it is never logged. */
  readonly key: string;
  /** The credential's name for the request log. */
  readonly label: string;
}

interface Grant {
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly label: string;
}

/** Either a token response or an OAuth error, as `POST /oauth/v1/token` answers. */
export type RefreshResult =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly status: 400 | 401; readonly category: string; readonly message: string };

const bearer = /^Bearer +([\x21-\x7e]{1,512})$/i;
/** The rate-limit key of requests without a bearer when auth is off. */
const anonymousKey = 'anonymous';

/** The token of a well-formed `Authorization: Bearer …` header, else undefined. */
function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : bearer.exec(header)?.[1];
}

/** Whether scopes allow creating timeline events: `timeline`, or a CRM object write scope. */
function allowsTimeline(scopes: readonly string[]): boolean {
  return scopes.some((s) => s === 'timeline' || (s.startsWith('crm.objects.') && s.endsWith('.write')));
}

/** Static and issued access tokens, OAuth clients, and the refresh-token grant. */
export class TokenStore {
  readonly #grants = new Map<string, Grant>();
  readonly #requireAuth: boolean;
  readonly #clients: readonly OAuthClientOptions[];
  readonly #ttlMs: number;
  #issued = 0;

  constructor(options: AuthOptions = {}) {
    this.#requireAuth = options.requireAuth ?? true;
    this.#clients = options.clients ?? [defaultOAuthClient];
    this.#ttlMs = options.accessTokenTtlMs ?? 1_800_000;
    const tokens = options.tokens ?? [{ token: defaultAccessToken }];
    tokens.forEach((t, i) => {
      if (typeof t.token !== 'string' || t.token.length === 0)
        throw new TypeError(`auth.tokens[${i}].token: required`);
      this.#grants.set(t.token, {
        scopes: t.scopes ?? ['timeline'],
        expiresAt: t.expiresAt ?? Number.POSITIVE_INFINITY,
        label: t.label ?? `static-${i + 1}`,
      });
    });
  }

  /** Judges an `Authorization` header at `now`. */
  check(header: string | undefined, now: number): AuthAcceptance | AuthRefusal {
    const token = bearerToken(header);
    if (!this.#requireAuth) return { ok: true, key: token ?? anonymousKey, label: 'unchecked' };
    if (token === undefined) {
      return {
        ok: false,
        status: 401,
        category: 'INVALID_AUTHENTICATION',
        message:
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      };
    }
    const grant = this.#grants.get(token);
    if (grant === undefined) {
      return {
        ok: false,
        status: 401,
        category: 'INVALID_AUTHENTICATION',
        message: 'The OAuth token used to make this call is not valid.',
      };
    }
    if (now >= grant.expiresAt) {
      const ago = Math.max(0, Math.floor((now - grant.expiresAt) / 1000));
      return {
        ok: false,
        status: 401,
        category: 'EXPIRED_AUTHENTICATION',
        message: `The OAuth token used to make this call expired ${ago} second(s) ago.`,
      };
    }
    if (!allowsTimeline(grant.scopes)) {
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
    return { ok: true, key: token, label: grant.label };
  }

  /**
   * The rate-limit key `check()` gives a request with this `Authorization` header, without judging it:
   * the bearer value, `'anonymous'` when auth is off and none is sent, else undefined.
   */
  rateKey(header: string | undefined): string | undefined {
    const token = bearerToken(header);
    return token ?? (this.#requireAuth ? undefined : anonymousKey);
  }

  /** Issues a new access token valid from `now`. */
  issue(now: number, options: IssueTokenOptions = {}): IssuedToken {
    this.#issued += 1;
    const accessToken = `emu-at-${randomUUID()}`;
    const expiresAt = now + (options.ttlMs ?? this.#ttlMs);
    this.#grants.set(accessToken, {
      scopes: options.scopes ?? ['timeline'],
      expiresAt,
      label: options.label ?? `issued-${this.#issued}`,
    });
    return { accessToken, expiresAt };
  }

  /** The refresh-token grant of `POST /oauth/v1/token`. */
  refresh(form: URLSearchParams, now: number): RefreshResult {
    const grantType = form.get('grant_type');
    if (grantType !== 'refresh_token') {
      return {
        ok: false,
        status: 400,
        category: 'BAD_GRANT_TYPE',
        message: grantType === null ? 'missing grant_type' : `unsupported grant_type: ${grantType}`,
      };
    }
    const client = this.#clients.find((c) => c.clientId === form.get('client_id'));
    if (client === undefined) {
      return { ok: false, status: 400, category: 'BAD_CLIENT_ID', message: 'missing or unknown client_id' };
    }
    if (client.clientSecret !== form.get('client_secret')) {
      return {
        ok: false,
        status: 400,
        category: 'BAD_CLIENT_SECRET',
        message: 'missing or invalid client_secret',
      };
    }
    const refreshToken = form.get('refresh_token');
    if (refreshToken === null || !client.refreshTokens.includes(refreshToken)) {
      return {
        ok: false,
        status: 400,
        category: 'BAD_REFRESH_TOKEN',
        message: 'missing or unknown refresh token',
      };
    }
    const scopes = client.scopes ?? ['timeline'];
    const issued = this.issue(now, { scopes, label: `oauth-${client.clientId}` });
    return {
      ok: true,
      body: {
        token_type: 'bearer',
        refresh_token: refreshToken,
        access_token: issued.accessToken,
        expires_in: Math.round((issued.expiresAt - now) / 1000),
        token_use: 'access_token',
        scopes: [...scopes],
      },
    };
  }
}
